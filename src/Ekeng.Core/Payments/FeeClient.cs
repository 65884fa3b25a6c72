using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Ekeng.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Payments
{
    /// <summary>
    /// The client of EKENG's fee API (docs/WIRE-CONTRACT.md, "The annual fee"). The HttpClient it is given carries the
    /// holder's login (the CRM session's mutual TLS); this class knows only the fee's paths and JSON.
    /// GETs are retried with backoff; the order POST never is, blindly: when it may have reached the server (a
    /// timeout, a connection lost after sending, a 5xx that is not the contract's), the client asks the order list
    /// first and resumes the unfinished order, so a lost answer never becomes a second charge.
    /// It never sends, receives, stores or logs a card number or a CVC2.
    /// </summary>
    public sealed class FeeClient
    {
        private static readonly string[] Languages = { "hy", "ru", "en" };

        private readonly HttpClient _http;
        private readonly Uri _base;
        private readonly ILogger _logger;

        public FeeClient(HttpClient http, Uri baseUri, ILogger? logger = null)
        {
            _http = http ?? throw new ArgumentNullException(nameof(http));
            if (baseUri is null)
            {
                throw new ArgumentNullException(nameof(baseUri));
            }

            if (!baseUri.IsAbsoluteUri)
            {
                throw new ArgumentException("The fee service's base URI must be absolute.", nameof(baseUri));
            }

            string text = baseUri.AbsoluteUri;
            _base = new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
            _logger = logger ?? NullLogger.Instance;
        }

        /// <summary>How many times a GET is sent at most (1 = no retry).</summary>
        public int MaxGetAttempts { get; set; } = 3;

        /// <summary>The first retry's delay; each next one doubles it (with up to 25 % jitter).</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>GET /api/v1/fee: the fee and the period.</summary>
        public async Task<FeeQuote> GetFeeAsync(CancellationToken cancellationToken = default)
        {
            using (JsonDocument doc = await GetJsonAsync("api/v1/fee", cancellationToken).ConfigureAwait(false))
            {
                return Parse(() => FeeJson.ParseQuote(doc.RootElement), "GET api/v1/fee");
            }
        }

        /// <summary>GET /api/v1/fee/orders: every order of the holder, newest first, pending ones refreshed by EKENG.</summary>
        public async Task<IReadOnlyList<FeePayment>> GetOrdersAsync(CancellationToken cancellationToken = default)
        {
            using (JsonDocument doc = await GetJsonAsync("api/v1/fee/orders", cancellationToken).ConfigureAwait(false))
            {
                return Parse(() => FeeJson.ParseOrders(doc.RootElement), "GET api/v1/fee/orders");
            }
        }

        /// <summary>GET /api/v1/fee/orders/{orderNumber}: one order, refreshed from the gateway by EKENG.</summary>
        public async Task<FeePayment> GetOrderAsync(string orderNumber, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(orderNumber))
            {
                throw new ArgumentException("An order number is required.", nameof(orderNumber));
            }

            string path = "api/v1/fee/orders/" + Uri.EscapeDataString(orderNumber.Trim());
            using (JsonDocument doc = await GetJsonAsync(path, cancellationToken).ConfigureAwait(false))
            {
                return Parse(() => FeeJson.ParseOrder(doc.RootElement), "GET " + path);
            }
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
            string body = "{\"language\":\"" + language + "\",\"nextPeriod\":" + (nextPeriod ? "true" : "false") + "}";
            for (int attempt = 1; ; attempt++)
            {
                Exception? doubt;
                var watch = Stopwatch.StartNew();
                try
                {
                    using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
                    using (HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false))
                    {
                        string text = await ReadBodyAsync(response).ConfigureAwait(false);
                        int status = (int)response.StatusCode;
                        _logger.LogDebug("POST {Path} -> {Status} in {Ms} ms.", path, status, watch.ElapsedMilliseconds);
                        if (status == 200 || status == 201)
                        {
                            FeePayment order = ParseBody(text, "POST " + path, FeeJson.ParseOrder);
                            order.Resumed = status == 200;
                            return order;
                        }

                        if (!IsAmbiguous(status, text))
                        {
                            throw ErrorFromResponse(status, text, "POST " + path);
                        }

                        doubt = new HttpRequestException($"EKENG's service answered {status} without a contract error.");
                    }
                }
                catch (HttpRequestException e)
                {
                    doubt = e;
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    doubt = new TimeoutException($"EKENG's service did not answer within {_http.Timeout.TotalSeconds:0.#} s.", e);
                }

                // The order may or may not exist now: ask before anything else.
                _logger.LogWarning("POST {Path} may have reached EKENG ({Reason}); asking the order list before anything else.", path, doubt.Message);
                IReadOnlyList<FeePayment> orders;
                try
                {
                    orders = await GetOrdersAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (EkengException e) when (e.ErrorId == FeeErrorIds.FeeServiceUnreachable)
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
                await Delay(attempt, null, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The unfinished order of the period a POST was for: the latest period's for nextPeriod, else the earliest.</summary>
        internal static FeePayment? FindUnfinished(IReadOnlyList<FeePayment> orders, bool nextPeriod)
        {
            IEnumerable<FeePayment> pending = orders.Where(o => o.Status == FeePaymentStatus.Pending);
            IOrderedEnumerable<FeePayment> byPeriod = nextPeriod
                ? pending.OrderByDescending(o => o.PeriodStart)
                : pending.OrderBy(o => o.PeriodStart);
            return byPeriod.ThenByDescending(o => o.CreatedAt).FirstOrDefault();
        }

        private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
        {
            int attempts = Math.Max(1, MaxGetAttempts);
            Exception? last = null;
            for (int attempt = 1; attempt <= attempts; attempt++)
            {
                TimeSpan? retryAfter = null;
                var watch = Stopwatch.StartNew();
                try
                {
                    using (HttpResponseMessage response = await _http.GetAsync(new Uri(_base, path), cancellationToken).ConfigureAwait(false))
                    {
                        string text = await ReadBodyAsync(response).ConfigureAwait(false);
                        int status = (int)response.StatusCode;
                        _logger.LogDebug("GET {Path} -> {Status} in {Ms} ms (attempt {Attempt}).", path, status, watch.ElapsedMilliseconds, attempt);
                        if (status == 200)
                        {
                            return ParseText(text, "GET " + path, t => JsonDocument.Parse(t));
                        }

                        EkengException error = ErrorFromResponse(status, text, "GET " + path);
                        if (!(status == 429 || status >= 500) || attempt == attempts)
                        {
                            throw error;
                        }

                        last = error;
                        retryAfter = response.Headers.RetryAfter?.Delta;
                    }
                }
                catch (HttpRequestException e)
                {
                    last = e;
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    last = new TimeoutException($"EKENG's service did not answer within {_http.Timeout.TotalSeconds:0.#} s.", e);
                }

                if (attempt < attempts)
                {
                    _logger.LogDebug("GET {Path} failed ({Reason}); retrying.", path, last?.Message);
                    await Delay(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
                }
            }

            throw Unreachable($"EKENG's fee service did not answer GET {path} after {attempts} attempt(s): {last?.Message}", last);
        }

        private Task Delay(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
        {
            double ms = RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
#pragma warning disable CA5394 // jitter, not security
            ms *= 1 + (new Random().NextDouble() * 0.25);
#pragma warning restore CA5394
            if (retryAfter is TimeSpan after && after.TotalMilliseconds > ms)
            {
                ms = Math.Min(after.TotalMilliseconds, 10_000);
            }

            return Task.Delay(TimeSpan.FromMilliseconds(ms), cancellationToken);
        }

        /// <summary>A 5xx whose body is not one of the contract's errors: a proxy's or a crash's; the request may have been handled.</summary>
        private static bool IsAmbiguous(int status, string body) => status >= 500 && ReadErrorId(body) == null;

        private static async Task<string> ReadBodyAsync(HttpResponseMessage response)
        {
            if (response.Content == null)
            {
                return string.Empty;
            }

            byte[] bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return Encoding.UTF8.GetString(bytes);
        }

        private static string? ReadErrorId(string body)
        {
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(body))
                {
                    return JsonValues.String(doc.RootElement, "error");
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        internal static EkengException ErrorFromResponse(int status, string body, string what)
        {
            string? id = null;
            string? message = null;
            DateTime? paidUntil = null;
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(body))
                {
                    id = JsonValues.String(doc.RootElement, "error");
                    message = JsonValues.String(doc.RootElement, "message");
                    paidUntil = JsonValues.Date(doc.RootElement, "paidUntil");
                }
            }
            catch (Exception e) when (e is JsonException || e is FormatException)
            {
            }

            switch (id)
            {
                case FeeErrorIds.PeriodAlreadyPaid:
                    {
                        string until = paidUntil?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "?";
                        var e = new EkengException(id, EkengErrorKind.InvalidOperation, $"The annual fee is already paid until {until}; nothing was charged.")
                        {
                            RecommendedAction = "Nothing to do. To pay the next period now, run the command again with -Force.",
                            TargetObject = paidUntil,
                        };
                        e.Data["PaidUntil"] = paidUntil;
                        return e;
                    }

                case FeeErrorIds.NotRegistered:
                    return new EkengException(id, EkengErrorKind.InvalidOperation, "The card's holder is not registered with EKENG's customer system (neither active nor waiting for payment): " + (message ?? "no registration."))
                    {
                        RecommendedAction = "Register first (Register-EkengCrm, or Register-EkengCrm -PayOnline to register and pay in one step).",
                    };
                case FeeErrorIds.GatewayUnavailable:
                    return new EkengException(id, EkengErrorKind.ResourceUnavailable, "EKENG could not reach its bank gateway; nothing was charged. " + (message ?? string.Empty))
                    {
                        RecommendedAction = "Try again in a few minutes: the status is asked first, an unfinished order is resumed.",
                    };
                case FeeErrorIds.OrderNotFound:
                    return new EkengException(id, EkengErrorKind.ObjectNotFound, message ?? "EKENG knows no such fee order for this holder.");
            }

            EkengErrorKind kind = status == 401 ? EkengErrorKind.AuthenticationError
                : status == 403 ? EkengErrorKind.PermissionDenied
                : status == 429 ? EkengErrorKind.LimitsExceeded
                : status >= 500 ? EkengErrorKind.ResourceUnavailable
                : EkengErrorKind.InvalidOperation;
            if (id == null && status >= 500)
            {
                return Unreachable($"EKENG's fee service answered {what} with {status}.", null);
            }

            return new EkengException(id ?? FeeErrorIds.FeeProtocolError, kind, $"{what}: {status} {message ?? Shorten(body)}");
        }

        private static EkengException Unreachable(string message, Exception? inner) =>
            new EkengException(FeeErrorIds.FeeServiceUnreachable, EkengErrorKind.ConnectionError, message, inner)
            {
                RecommendedAction = "Check the network and EKENG's service; running the command again is safe: it asks the order's status before anything else.",
            };

        private static T Parse<T>(Func<T> parse, string what)
        {
            try
            {
                return parse();
            }
            catch (Exception e) when (e is FormatException || e is InvalidOperationException || e is OverflowException || e is UriFormatException)
            {
                throw new EkengException(FeeErrorIds.FeeProtocolError, EkengErrorKind.ProtocolError, $"{what}: EKENG's answer does not follow the contract: {e.Message}", e);
            }
        }

        private static T ParseBody<T>(string text, string what, Func<JsonElement, T> parse)
        {
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(text))
                {
                    return Parse(() => parse(doc.RootElement), what);
                }
            }
            catch (JsonException e)
            {
                throw new EkengException(FeeErrorIds.FeeProtocolError, EkengErrorKind.ProtocolError, $"{what}: EKENG's answer is not JSON.", e);
            }
        }

        private static T ParseText<T>(string text, string what, Func<string, T> parse)
        {
            try
            {
                return parse(text);
            }
            catch (JsonException e)
            {
                throw new EkengException(FeeErrorIds.FeeProtocolError, EkengErrorKind.ProtocolError, $"{what}: EKENG's answer is not JSON.", e);
            }
        }

        private static string Shorten(string s) => s.Length <= 200 ? s : s.Substring(0, 200) + "...";
    }
}
