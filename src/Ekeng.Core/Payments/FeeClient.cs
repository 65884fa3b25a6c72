using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Payments.Wire;

namespace Ekeng.Payments
{
    /// <summary>
    /// The client of EKENG's fee API (docs/WIRE-CONTRACT.md, "The annual fee"). It runs over an <see cref="EkengSession"/>
    /// (the CRM's, logged in with the card's mutual TLS): one HTTP path, the session's JSON, retries and transport errors;
    /// this class knows only the fee's paths, bodies and error ids.
    /// GETs are retried with backoff by the session; the order POST never is, blindly: when it may have reached the server (a
    /// timeout, a connection lost after sending, a 5xx that is not the contract's), the client asks the order list
    /// first and resumes the unfinished order, so a lost answer never becomes a second charge.
    /// It never sends, receives, stores or logs a card number or a CVC2.
    /// </summary>
    public sealed class FeeClient
    {
        private static readonly string[] Languages = { "hy", "ru", "en" };

        private readonly EkengSession _session;
        private readonly ILogger _logger;

        /// <summary>The fee client over a logged-in session (the CRM's: the fee endpoints are on the same listener).</summary>
        public FeeClient(EkengSession session, ILogger? logger = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _logger = logger ?? NullLogger.Instance;
        }

        public EkengSession Session => _session;

        /// <summary>GET /api/v1/fee: the fee and the period.</summary>
        public async Task<FeeQuote> GetFeeAsync(CancellationToken cancellationToken = default)
        {
            JsonElement body = await GetJsonAsync("api/v1/fee", cancellationToken).ConfigureAwait(false);
            return FeeWire.Read<FeeQuoteDto, FeeQuote>(body, dto => dto.ToQuote(), "GET api/v1/fee");
        }

        /// <summary>GET /api/v1/fee/orders: every order of the holder, newest first, pending ones refreshed by EKENG.</summary>
        public async Task<IReadOnlyList<FeePayment>> GetOrdersAsync(CancellationToken cancellationToken = default)
        {
            JsonElement body = await GetJsonAsync("api/v1/fee/orders", cancellationToken).ConfigureAwait(false);
            return FeeWire.Read<List<FeeOrderDto>, IReadOnlyList<FeePayment>>(body, list => list.Select(dto => dto.ToPayment()).ToList(), "GET api/v1/fee/orders");
        }

        /// <summary>GET /api/v1/fee/orders/{orderNumber}: one order, refreshed from the gateway by EKENG.</summary>
        public async Task<FeePayment> GetOrderAsync(string orderNumber, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(orderNumber))
            {
                throw new ArgumentException("An order number is required.", nameof(orderNumber));
            }

            string path = "api/v1/fee/orders/" + Uri.EscapeDataString(orderNumber.Trim());
            JsonElement body = await GetJsonAsync(path, cancellationToken).ConfigureAwait(false);
            return ReadOrder(body, "GET " + path);
        }

        /// <summary>
        /// POST /api/v1/fee/orders: a new order (201) or the holder's unfinished order of the same period (200,
        /// <see cref="FeePayment.Resumed"/>). <paramref name="nextPeriod"/> pays the period after the paid one on purpose;
        /// without it a paid period throws PeriodAlreadyPaid.
        /// </summary>
        public async Task<FeePayment> CreateOrResumeOrderAsync(string language = "hy", bool nextPeriod = false, CancellationToken cancellationToken = default)
        {
            if (!Languages.Contains(language))
            {
                throw new ArgumentException($"The payment page's language is one of {string.Join(", ", Languages)}, not '{language}'.", nameof(language));
            }

            const string path = "api/v1/fee/orders";
            var body = new FeeOrderRequestDto { Language = language, NextPeriod = nextPeriod };
            for (int attempt = 1; ; attempt++)
            {
                EkengException doubt;
                var watch = Stopwatch.StartNew();
                try
                {
                    EkengHttpResponse<JsonElement> response = await _session.PostAsync<JsonElement>(path, body, MapPostError, cancellationToken).ConfigureAwait(false);
                    _logger.LogDebug("POST {Path} -> {Status} in {Ms} ms.", path, (int)response.StatusCode, watch.ElapsedMilliseconds);
                    FeePayment order = ReadOrder(response.Value, "POST " + path);
                    order.Resumed = response.StatusCode == HttpStatusCode.OK;
                    return order;
                }
                catch (EkengException e) when (FeeErrors.FeeServiceUnreachable.Is(e) || _session.IsTransient(e))
                {
                    // A timeout, a connection lost after sending, a 5xx that is not the contract's: the order may exist now.
                    doubt = e;
                }

                _logger.LogWarning("POST {Path} may have reached EKENG ({Reason}); asking the order list before anything else.", path, doubt.Message);
                IReadOnlyList<FeePayment> orders;
                try
                {
                    orders = await GetOrdersAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (EkengException e) when (FeeErrors.FeeServiceUnreachable.Is(e))
                {
                    throw Unreachable("EKENG's fee service did not answer the order request, nor the order list after it. An order may have been created: run the command again, it asks for the status first and never pays twice.", e);
                }

                FeePayment? unfinished = FindUnfinished(orders, nextPeriod);
                if (unfinished != null)
                {
                    _logger.LogInformation("Resuming order {OrderNumber} found after the lost answer.", unfinished.OrderNumber);
                    unfinished.Resumed = true;
                    return unfinished;
                }

                if (attempt >= 2)
                {
                    throw Unreachable("EKENG's fee service did not answer the order request twice; the order list shows no unfinished order. Try again later.", doubt);
                }

                // The list proves no order is waiting: one more POST cannot make a second one (EKENG resumes anyway).
                await _session.DelayAsync(_session.RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The unfinished order of the period a POST was for: the latest period's for nextPeriod, else the earliest.</summary>
        public static FeePayment? FindUnfinished(IReadOnlyList<FeePayment> orders, bool nextPeriod)
        {
            IEnumerable<FeePayment> pending = orders.Where(o => o.Status == FeePaymentStatus.Pending);
            IOrderedEnumerable<FeePayment> byPeriod = nextPeriod
                ? pending.OrderByDescending(o => o.PeriodStart)
                : pending.OrderBy(o => o.PeriodStart);
            return byPeriod.ThenByDescending(o => o.CreatedAt).FirstOrDefault();
        }

        /// <summary>A GET through the session (its bounded retries); transport failures after them become FeeServiceUnreachable.</summary>
        private async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
        {
            try
            {
                EkengHttpResponse<JsonElement> response = await _session.GetAsync<JsonElement>(path, MapGetError, cancellationToken).ConfigureAwait(false);
                _logger.LogDebug("EKENG's answer to GET {Path}: {Json}", path, MaskCardNumbers(response.Value.GetRawText()));
                return response.Value;
            }
            catch (EkengException e) when (_session.IsTransient(e))
            {
                throw Unreachable($"EKENG's fee service did not answer GET {path}: {e.Message}", e);
            }
        }

        private static readonly System.Text.RegularExpressions.Regex CardNumber = new System.Text.RegularExpressions.Regex(@"(?<![\w*])(\d{6})\d{3,9}(\d{4})(?![\w*])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// A text with every free-standing run of 13 to 19 digits (a card number, should a server ever send one) shown
        /// as the gateway's mask (<c>408306**1818</c>): what the module logs never holds a full card number.
        /// </summary>
        internal static string MaskCardNumbers(string text) => CardNumber.Replace(text, m => m.Groups[1].Value + "**" + m.Groups[2].Value);

        private static EkengException? MapGetError(EkengHttpError error) =>
            error.ErrorId is null ? null : ErrorFromResponse(error);

        /// <summary>For the POST, a 5xx whose body is not one of the contract's errors (a proxy's or a crash's) is in doubt.</summary>
        private static EkengException? MapPostError(EkengHttpError error) =>
            error.ErrorId is null && (int)error.StatusCode >= 500
                ? Unreachable($"EKENG's fee service answered {(int)error.StatusCode} without a contract error.", null)
                : MapGetError(error);

        private static EkengException? ErrorFromResponse(EkengHttpError error)
        {
            string? message = error.Message;
            string? id = error.ErrorId;
            if (id == FeeErrors.PeriodAlreadyPaid.Id)
            {
                DateTime? paidUntil = null;
                if (error.GetString("paidUntil") is string text && DateTime.TryParseExact(text.Length > 10 ? text.Substring(0, 10) : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime d))
                {
                    paidUntil = d;
                }

                string until = paidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";
                var e = new EkengException(FeeErrors.PeriodAlreadyPaid, $"The annual fee is already paid until {until}; nothing was charged.")
                {
                    TargetObject = paidUntil,
                };
                e.Data["PaidUntil"] = paidUntil;
                return e;
            }

            if (id == FeeErrors.NotRegistered.Id)
            {
                return new EkengException(FeeErrors.NotRegistered, "The card's holder is not registered with EKENG's customer system (neither active nor waiting for payment): " + (message ?? "no registration."));
            }

            if (id == FeeErrors.GatewayUnavailable.Id)
            {
                return new EkengException(FeeErrors.GatewayUnavailable, "EKENG could not reach its bank gateway; nothing was charged." + (string.IsNullOrWhiteSpace(message) ? string.Empty : " EKENG says: " + message));
            }

            if (id == FeeErrors.OrderNotFound.Id)
            {
                return new EkengException(FeeErrors.OrderNotFound, message ?? "EKENG knows no such fee order for this holder.");
            }

            // ClientCertificate*, the session's own mapping (ClientCertificateRefused, <prefix>Error with the reason).
            return null;
        }

        /// <summary>FeeServiceUnreachable: EKENG's fee service did not answer (running the command again is safe).</summary>
        public static EkengException Unreachable(string message, Exception? inner) =>
            new EkengException(FeeErrors.FeeServiceUnreachable, message, inner);

        /// <summary>One FeeOrder body as the module's object (FeeProtocolError when it is outside the contract).</summary>
        internal static FeePayment ReadOrder(JsonElement body, string what) => FeeWire.Read<FeeOrderDto, FeePayment>(body, dto => dto.ToPayment(), what);
    }
}
