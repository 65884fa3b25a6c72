using System.Globalization;
using System.Text.Json;
using Ekeng.Sandbox.Crm;
using Ekeng.Sandbox.Gateway;
using Ekeng.Sandbox.Hosting;
using Ekeng.Sandbox.Storage;

namespace Ekeng.Sandbox.Fee;

/// <summary>
/// EKENG's side of the annual fee: the fee and period from the settings table; orders registered with the gateway
/// server to server; one unfinished order per holder and period (resumed, never duplicated); one paid order per
/// holder and period; status always asked from the gateway (never taken from a return URL).
/// </summary>
public sealed class FeeService(SandboxDatabase db, Settings settings, GatewayClient gateway, ListenerUris uris, SandboxOptions options, TimeProvider clock)
{
    private readonly SemaphoreSlim _orders = new(1, 1);

    public IResult Fee(Holder holder)
    {
        RegistrationRow? row = db.Read(c => RegistrationStore.Get(c, null, holder.PublicServiceNumber));
        DateOnly start = PeriodStart(row);
        return Results.Json(new Dictionary<string, object?>
        {
            ["amount"] = settings.GetInt("fee.amount"),
            ["currency"] = settings.Get("fee.currency"),
            ["currencyCode"] = settings.Get("fee.currencyCode"),
            ["periodMonths"] = settings.GetInt("fee.periodMonths"),
            ["paidUntil"] = row?.PaidUntil is { } p ? ContractDates.Date(p) : null,
            ["nextPeriodStart"] = ContractDates.Date(start),
            ["nextPeriodEnd"] = ContractDates.Date(start.AddMonths(settings.GetInt("fee.periodMonths"))),
        });
    }

    public async Task<IResult> Create(Holder holder, FeeOrderRequest? request)
    {
        string language = request?.Language ?? "hy";
        if (language is not ("hy" or "ru" or "en")) return ApiError.Result(400, "InvalidRequest", "language must be hy, ru or en.");
        await _orders.WaitAsync();
        try
        {
            RegistrationRow? row = db.Read(c => RegistrationStore.Get(c, null, holder.PublicServiceNumber));
            if (row is not { Status: "Active" or "PendingPayment" })
                return ApiError.Result(409, "NotRegistered", "The holder is not registered (the registration is neither Active nor PendingPayment).");
            try
            {
                foreach (FeeOrderRow pending in db.Read(c => FeeStore.ForHolder(c, null, holder.PublicServiceNumber)).Where(o => o.Status == "Pending"))
                    await Refresh(pending);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return ApiError.Result(502, "GatewayUnavailable", "The payment gateway cannot be reached; try again.");
            }
            row = db.Read(c => RegistrationStore.Get(c, null, holder.PublicServiceNumber))!;
            DateOnly today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (request?.NextPeriod != true && row.PaidUntil is { } paid && paid > today)
                return ApiError.Result(409, "PeriodAlreadyPaid", $"The service is paid until {ContractDates.Date(paid)}.", ("paidUntil", ContractDates.Date(paid)));

            DateOnly start = PeriodStart(row);
            int months = settings.GetInt("fee.periodMonths");
            DateOnly end = start.AddMonths(months);
            List<FeeOrderRow> same = db.Read(c => FeeStore.ForHolder(c, null, holder.PublicServiceNumber)).Where(o => o.PeriodStart == start).ToList();
            if (same.FirstOrDefault(o => o.Status == "Pending") is { } resumed) return Results.Json(View(resumed), statusCode: 200);
            if (same.Any(o => o.Status == "Paid"))
                return ApiError.Result(409, "PeriodAlreadyPaid", $"The period from {ContractDates.Date(start)} is paid.", ("paidUntil", ContractDates.Date(end)));

            int amount = settings.GetInt("fee.amount");
            string currencyCode = settings.Get("fee.currencyCode");
            int attempt = same.Count == 0 ? 1 : same.Max(o => o.Attempt) + 1;
            for (; ; attempt++)
            {
                string orderNumber = $"F{holder.PublicServiceNumber}{start:yyyyMMdd}-{attempt}";
                JsonElement reply;
                try
                {
                    List<KeyValuePair<string, string>> parameters =
                    [
                        new("orderNumber", orderNumber),
                        new("amount", (amount * 100L).ToString(CultureInfo.InvariantCulture)),
                        new("currency", currencyCode),
                        new("returnUrl", $"{uris.Crm}/sandbox/payment/return"),
                        new("failUrl", $"{uris.Crm}/sandbox/payment/return"),
                        new("description", $"EKENG e-signature fee {holder.PublicServiceNumber} {ContractDates.Date(start)} to {ContractDates.Date(end)}"),
                        new("language", language),
                    ];
                    // --payment-session-timeout: the payment page's session (else the gateway's default, 1200 s).
                    if (options.PaymentSessionTimeoutSeconds is int seconds)
                        parameters.Add(new("sessionTimeoutSecs", seconds.ToString(CultureInfo.InvariantCulture)));
                    reply = await gateway.Call("register.do", parameters);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return ApiError.Result(502, "GatewayUnavailable", "The payment gateway cannot be reached; try again.");
                }
                int error = GatewayClient.ErrorCode(reply);
                if (error == 1 && attempt < 1000) continue;
                if (error != 0 || !reply.TryGetProperty("orderId", out JsonElement id) || !reply.TryGetProperty("formUrl", out JsonElement url))
                    return ApiError.Result(502, "GatewayUnavailable", $"The payment gateway refused the order (errorCode {error}).");
                var order = new FeeOrderRow(orderNumber, id.GetString()!, holder.PublicServiceNumber, row.HolderName, attempt, start, end, amount,
                    settings.Get("fee.currency"), "Pending", 0, null, null, null, null, null, null, null, url.GetString()!, clock.GetUtcNow());
                await db.WriteAsync((c, tx) => { FeeStore.Insert(c, tx, order); return 0; });
                return Results.Json(View(order), statusCode: 201);
            }
        }
        finally
        {
            _orders.Release();
        }
    }

    public async Task<IResult> List(Holder holder)
    {
        var result = new List<Dictionary<string, object?>>();
        foreach (FeeOrderRow o in db.Read(c => FeeStore.ForHolder(c, null, holder.PublicServiceNumber)))
        {
            result.Add(View(o.Status == "Pending" ? await TryRefresh(o) : o));
        }
        return Results.Json(result);
    }

    public async Task<IResult> Get(Holder holder, string orderNumber)
    {
        FeeOrderRow? o = db.Read(c => FeeStore.ByNumber(c, null, orderNumber));
        if (o is null || o.Psn != holder.PublicServiceNumber) return ApiError.Result(404, "OrderNotFound", $"No fee order {orderNumber} for this holder.");
        return Results.Json(View(await TryRefresh(o)));
    }

    /// <summary>The return page's order, refreshed from the gateway (null when unknown).</summary>
    public async Task<FeeOrderRow?> ForReturn(string? orderId)
    {
        FeeOrderRow? o = orderId is null ? null : db.Read(c => FeeStore.ByOrderId(c, null, orderId));
        return o is null ? null : await TryRefresh(o);
    }

    private async Task<FeeOrderRow> TryRefresh(FeeOrderRow o)
    {
        try { return await Refresh(o); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return o; }
    }

    /// <summary>
    /// Asks the gateway's getOrderStatusExtended.do and stores what it says. Paid only for orderStatus 2 with the
    /// stored order's amount, currency and order number (our merchant is one-stage: 1 is a hold, not a payment);
    /// the same status with other values is Mismatch. A paid order extends the holder's period; its reversal or
    /// refund rolls it back. The status only moves forward: a poll that read the gateway before another request
    /// stored a later status never overwrites it (the update is conditional on the status it started from).
    /// </summary>
    public async Task<FeeOrderRow> Refresh(FeeOrderRow o)
    {
        JsonElement s = await gateway.Call("getOrderStatusExtended.do", [new("orderId", o.OrderId)]);
        if (GatewayClient.ErrorCode(s) != 0) return o;
        int orderStatus = s.GetProperty("orderStatus").GetInt32();
        int actionCode = s.TryGetProperty("actionCode", out JsonElement ac) ? ac.GetInt32() : ActionCodes.NoAttempt;
        long? gatewayAmount = s.TryGetProperty("amount", out JsonElement am) && am.ValueKind == JsonValueKind.Number ? am.GetInt64() : null;
        string? gatewayCurrency = s.TryGetProperty("currency", out JsonElement cu) ? cu.ToString() : null;
        string? gatewayNumber = s.TryGetProperty("orderNumber", out JsonElement on) ? on.GetString() : null;
        var mismatch = new List<string>();
        if (gatewayAmount != o.Amount * 100) mismatch.Add("amount");
        if (gatewayCurrency != CurrencyCodeOf(o.Currency)) mismatch.Add("currency");
        if (gatewayNumber != o.OrderNumber) mismatch.Add("orderNumber");
        string status = orderStatus switch
        {
            1 or 2 when mismatch.Count > 0 => "Mismatch",
            2 => "Paid",
            3 => "Reversed",
            4 => "Refunded",
            6 when actionCode == ActionCodes.TimeLimit => "Expired",
            6 => "Declined",
            _ => "Pending",
        };
        string? maskedPan = null, approval = null, cardholder = null;
        if (s.TryGetProperty("cardAuthInfo", out JsonElement card))
        {
            maskedPan = card.TryGetProperty("pan", out JsonElement p) ? p.GetString() : null;
            approval = card.TryGetProperty("approvalCode", out JsonElement a) ? a.GetString() : null;
            cardholder = card.TryGetProperty("cardholderName", out JsonElement h) ? h.GetString() : null;
        }
        DateTimeOffset? paidAt = status == "Paid" && s.TryGetProperty("authDateTime", out JsonElement at) ? DateTimeOffset.FromUnixTimeMilliseconds(at.GetInt64()) : null;
        FeeOrderRow updated = o with
        {
            Status = status, OrderStatus = orderStatus, ActionCode = actionCode == ActionCodes.NoAttempt ? null : actionCode,
            ActionDescription = s.TryGetProperty("actionCodeDescription", out JsonElement d) && d.GetString() is { Length: > 0 } text ? text : null,
            Method = maskedPan is { Length: >= 6 } ? CardChecks.Brand(maskedPan[..6]) : null, MaskedPan = maskedPan, ApprovalCode = approval,
            Cardholder = cardholder, PaidAt = paidAt ?? o.PaidAt,
            GatewayAmount = gatewayAmount, GatewayCurrency = gatewayCurrency, GatewayOrderNumber = gatewayNumber,
            Mismatch = mismatch.Count > 0 ? string.Join(',', mismatch) : null,
        };
        return await db.WriteAsync((c, tx) =>
        {
            FeeOrderRow current = FeeStore.ByNumber(c, tx, o.OrderNumber) ?? o;
            // Another request stored a status since this poll read the order: only a forward move from THAT status
            // is written, conditionally on it (UPDATE ... WHERE status = the status read).
            if (!FeeStatuses.MayMove(current.Status, updated.Status)) return current;
            if (!FeeStore.UpdateFrom(c, tx, current.Status, updated)) return FeeStore.ByNumber(c, tx, o.OrderNumber) ?? current;
            if (RegistrationStore.Get(c, tx, o.Psn) is { } reg)
            {
                if (updated.Status == "Paid" && current.Status != "Paid")
                {
                    DateTimeOffset now = clock.GetUtcNow();
                    RegistrationRow extended = reg with { PaidUntil = reg.PaidUntil is { } p && p > updated.PeriodEnd ? p : updated.PeriodEnd };
                    if (reg.Status == "PendingPayment")
                        extended = extended with { Status = "Active", ActivatedAt = now, UsableFrom = now + options.UsableDelay };
                    RegistrationStore.Put(c, tx, extended);
                }
                else if (current.Status == "Paid" && updated.Status is "Reversed" or "Refunded")
                {
                    // The money went back: the period this order paid is no longer paid.
                    DateOnly? until = FeeStore.ForHolder(c, tx, o.Psn).Where(x => x.Status == "Paid" && x.OrderNumber != o.OrderNumber)
                        .Select(x => (DateOnly?)x.PeriodEnd).Max();
                    RegistrationStore.Put(c, tx, reg with { PaidUntil = until });
                }
            }
            return updated;
        });
    }

    private static DateOnly PeriodStart(RegistrationRow? row) =>
        row?.PaidUntil ?? row?.PeriodAnchor ?? DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The ISO 4217 numeric code of a stored order's currency (the gateway speaks N3).</summary>
    private static string CurrencyCodeOf(string currency) => currency switch
    {
        "AMD" => "051",
        "RUB" => "643",
        "USD" => "840",
        "EUR" => "978",
        _ => currency,
    };

    public static Dictionary<string, object?> View(FeeOrderRow o) => new()
    {
        ["orderNumber"] = o.OrderNumber,
        ["orderId"] = o.OrderId,
        ["amount"] = o.Amount,
        ["currency"] = o.Currency,
        ["currencyCode"] = CurrencyCodeOf(o.Currency),
        ["status"] = o.Status,
        ["orderStatus"] = o.OrderStatus,
        ["gatewayOrderStatus"] = o.GatewayOrderNumber is null && o.GatewayAmount is null && o.GatewayCurrency is null ? null : o.OrderStatus,
        ["gatewayAmount"] = o.GatewayAmount,
        ["gatewayCurrency"] = o.GatewayCurrency,
        ["gatewayOrderNumber"] = o.GatewayOrderNumber,
        ["mismatch"] = o.Mismatch?.Split(','),
        ["actionCode"] = o.ActionCode,
        ["actionCodeDescription"] = o.ActionDescription,
        ["method"] = o.Method,
        ["maskedPan"] = o.MaskedPan,
        ["approvalCode"] = o.ApprovalCode,
        ["cardholderName"] = o.Cardholder,
        ["paidAt"] = ContractDates.Time(o.PaidAt),
        ["periodStart"] = ContractDates.Date(o.PeriodStart),
        ["periodEnd"] = ContractDates.Date(o.PeriodEnd),
        ["paidUntil"] = o.Status == "Paid" ? ContractDates.Date(o.PeriodEnd) : null,
        ["paymentUrl"] = o.PaymentUrl,
        ["createdAt"] = ContractDates.Time(o.CreatedAt),
        ["holderName"] = o.HolderName,
        ["publicServiceNumber"] = o.Psn,
    };
}
