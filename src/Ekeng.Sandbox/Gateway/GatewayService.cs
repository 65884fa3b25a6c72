using System.Globalization;
using System.Security.Cryptography;
using Ekeng.Sandbox.Hosting;
using Ekeng.Sandbox.Storage;
using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Gateway;

/// <summary>
/// The ArCa-style vPOS REST gateway (BPC iPay 1.55 family): register.do, getOrderStatusExtended.do, reverse.do,
/// refund.do, and the card page's steps. errorCode: 1 duplicate order number, 3 unknown currency, 4 missing
/// parameter, 5 bad value / access denied, 6 unknown order, 7 wrong order state.
/// </summary>
public sealed class GatewayService(SandboxDatabase db, SandboxOptions options, TimeProvider clock, StatusHolds holds)
{
    private static readonly HashSet<string> Currencies = ["051", "643", "840", "978"];
    private static readonly HashSet<string> Languages = ["hy", "ru", "en"];

    public Task<Dictionary<string, object?>> Register(IFormCollection form, string baseUri)
    {
        foreach (string name in new[] { "userName", "password", "orderNumber", "amount", "returnUrl" })
        {
            if (string.IsNullOrEmpty(form[name])) return Task.FromResult(Error(4, $"Required parameter {name} is missing."));
        }
        if (!Authorised(form)) return Task.FromResult(Error(5, "Access denied."));
        string orderNumber = form["orderNumber"].ToString();
        if (orderNumber.Length > 32) return Task.FromResult(Error(5, "orderNumber is longer than 32 characters."));
        if (!long.TryParse(form["amount"], NumberStyles.None, CultureInfo.InvariantCulture, out long amount) || amount <= 0)
            return Task.FromResult(Error(5, "amount must be a positive whole number of minor units."));
        string currency = string.IsNullOrEmpty(form["currency"]) ? "643" : form["currency"].ToString();
        if (currency.Length != 3 || !currency.All(char.IsAsciiDigit)) return Task.FromResult(Error(5, "currency must be ISO 4217 numeric (N3)."));
        if (!Currencies.Contains(currency)) return Task.FromResult(Error(3, "Unknown currency."));
        string returnUrl = form["returnUrl"].ToString();
        if (returnUrl.Length > 512 || !LoopbackWebUrl(returnUrl)) return Task.FromResult(Error(5, "returnUrl must be an http(s) URL on a loopback host (≤ 512)."));
        string? failUrl = string.IsNullOrEmpty(form["failUrl"]) ? null : form["failUrl"].ToString();
        if (failUrl is not null && (failUrl.Length > 512 || !LoopbackWebUrl(failUrl))) return Task.FromResult(Error(5, "failUrl must be an http(s) URL on a loopback host (≤ 512)."));
        string? description = string.IsNullOrEmpty(form["description"]) ? null : form["description"].ToString();
        if (description is not null)
        {
            if (description.Length > 1024 || description.IndexOfAny(['%', '+', '\r', '\n']) >= 0)
                return Task.FromResult(Error(5, "description may not contain % + \\r \\n and is at most 1024 characters."));
            if (description.Length > 99) description = description[..99];
        }
        string language = string.IsNullOrEmpty(form["language"]) ? "hy" : form["language"].ToString();
        if (!Languages.Contains(language)) return Task.FromResult(Error(5, "language must be hy, ru or en."));
        int timeout = 1200;
        if (!string.IsNullOrEmpty(form["sessionTimeoutSecs"])
            && (!int.TryParse(form["sessionTimeoutSecs"], NumberStyles.None, CultureInfo.InvariantCulture, out timeout) || timeout is < 1 or > 1200))
            return Task.FromResult(Error(5, "sessionTimeoutSecs must be 1 to 1200."));

        string merchant = form["userName"].ToString();
        return db.WriteAsync((c, tx) =>
        {
            if (GatewayStore.ByNumber(c, tx, merchant, orderNumber) is not null) return Error(1, "Order number already registered.");
            string orderId = Guid.NewGuid().ToString();
            GatewayStore.Put(c, tx, new GatewayOrder(orderId, merchant, orderNumber, amount, currency, description, returnUrl, failUrl, language, timeout,
                clock.GetUtcNow(), 0, ActionCodes.NoAttempt, "", null, null, null, null, null, null, null, 0, 0));
            return new Dictionary<string, object?>
            {
                ["orderId"] = orderId,
                ["formUrl"] = $"{baseUri}/payment/merchants/ekeng/payment.html?mdOrder={orderId}",
                ["errorCode"] = 0,
            };
        });
    }

    /// <summary>getOrderStatusExtended.do: errorCode is a STRING here ("0"), as some real gateways send it.</summary>
    public async Task<Dictionary<string, object?>> Status(IFormCollection form)
    {
        Dictionary<string, object?> reply = await ReadStatus(form);
        // --test-controls: a hold armed for this order answers what was read only when the test releases it.
        if (options.TestControls && reply.TryGetValue("orderId", out object? id) && id is string orderId) await holds.PassAsync(orderId);
        reply.Remove("orderId");
        return reply;
    }

    private Task<Dictionary<string, object?>> ReadStatus(IFormCollection form)
    {
        if (string.IsNullOrEmpty(form["userName"]) || string.IsNullOrEmpty(form["password"])) return Task.FromResult(StringError(4, "Required parameter userName or password is missing."));
        if (!Authorised(form)) return Task.FromResult(StringError(5, "Access denied."));
        string? orderId = string.IsNullOrEmpty(form["orderId"]) ? null : form["orderId"].ToString();
        string? orderNumber = string.IsNullOrEmpty(form["orderNumber"]) ? null : form["orderNumber"].ToString();
        if (orderId is null && orderNumber is null) return Task.FromResult(StringError(4, "orderId or orderNumber is required."));
        string merchant = form["userName"].ToString();
        return db.WriteAsync((c, tx) =>
        {
            GatewayOrder? o = orderId is not null ? GatewayStore.ById(c, tx, orderId) : GatewayStore.ByNumber(c, tx, merchant, orderNumber!);
            if (o is null || o.Merchant != merchant) return StringError(6, "Unregistered orderId.");
            o = ExpireIfDue(c, tx, o);
            var reply = new Dictionary<string, object?>
            {
                ["orderId"] = o.OrderId,
                ["errorCode"] = "0",
                ["errorMessage"] = "Success",
                ["orderNumber"] = o.OrderNumber,
                ["orderStatus"] = o.OrderStatus,
                ["actionCode"] = o.ActionCode,
                ["actionCodeDescription"] = o.ActionDescription,
                ["amount"] = o.Amount,
                ["currency"] = o.Currency,
                ["date"] = o.CreatedAt.ToUnixTimeMilliseconds(),
                ["orderDescription"] = o.Description ?? "",
                ["terminalId"] = "98765432",
                ["paymentAmountInfo"] = new Dictionary<string, object?>
                {
                    ["approvedAmount"] = o.OrderStatus is 1 or 2 or 4 ? o.Amount : 0,
                    ["depositedAmount"] = o.Deposited,
                    ["refundedAmount"] = o.Refunded,
                    ["paymentState"] = o.OrderStatus switch { 0 => "CREATED", 1 => "APPROVED", 2 => "DEPOSITED", 3 => "REVERSED", 4 => "REFUNDED", 5 => "STARTED", _ => "DECLINED" },
                },
            };
            if (o.MaskedPan is not null)
            {
                reply["cardAuthInfo"] = new Dictionary<string, object?>
                {
                    ["pan"] = o.MaskedPan,
                    ["expiration"] = o.Expiration,
                    ["cardholderName"] = o.Cardholder,
                    ["approvalCode"] = o.ApprovalCode,
                    ["paymentSystem"] = o.Brand?.ToUpperInvariant(),
                };
            }
            if (o.AuthAt is { } at) reply["authDateTime"] = at.ToUnixTimeMilliseconds();
            if (o.AuthRefNum is not null) reply["authRefNum"] = o.AuthRefNum;
            return reply;
        });
    }

    /// <summary>reverse.do: once, for a held or deposited order with nothing refunded.</summary>
    public Task<Dictionary<string, object?>> Reverse(IFormCollection form) => Change(form, false, (o, _) =>
        o.OrderStatus is 1 or 2 && o.Refunded == 0 ? o with { OrderStatus = 3, Deposited = 0 } : null);

    /// <summary>refund.do: repeatable up to the deposited total.</summary>
    public Task<Dictionary<string, object?>> Refund(IFormCollection form) => Change(form, true, (o, amount) =>
        o.OrderStatus is 2 or 4 && amount > 0 && o.Refunded + amount <= o.Deposited ? o with { OrderStatus = 4, Refunded = o.Refunded + amount } : null);

    private Task<Dictionary<string, object?>> Change(IFormCollection form, bool needsAmount, Func<GatewayOrder, long, GatewayOrder?> change)
    {
        foreach (string name in needsAmount ? new[] { "userName", "password", "orderId", "amount" } : ["userName", "password", "orderId"])
        {
            if (string.IsNullOrEmpty(form[name])) return Task.FromResult(Error(4, $"Required parameter {name} is missing."));
        }
        if (!Authorised(form)) return Task.FromResult(Error(5, "Access denied."));
        long amount = 0;
        if (needsAmount && (!long.TryParse(form["amount"], NumberStyles.None, CultureInfo.InvariantCulture, out amount) || amount <= 0))
            return Task.FromResult(Error(5, "amount must be a positive whole number of minor units."));
        string orderId = form["orderId"].ToString();
        string merchant = form["userName"].ToString();
        return db.WriteAsync((c, tx) =>
        {
            GatewayOrder? o = GatewayStore.ById(c, tx, orderId);
            if (o is null || o.Merchant != merchant) return Error(6, "Unregistered orderId.");
            o = ExpireIfDue(c, tx, o);
            GatewayOrder? changed = change(o, amount);
            if (changed is null) return Error(7, "The operation is not allowed in the order's state (or the amount is too large).");
            GatewayStore.Put(c, tx, changed);
            return new Dictionary<string, object?> { ["errorCode"] = 0, ["errorMessage"] = "Success" };
        });
    }

    /// <summary>Test control: changes what the gateway reports for an order (see TestEndpoints).</summary>
    public Task<bool> Tamper(string orderId, long? amount, string? currency, string? orderNumber) => db.WriteAsync((c, tx) =>
    {
        if (GatewayStore.ById(c, tx, orderId) is not { } o) return false;
        SandboxDatabase.Execute(c, tx, "UPDATE gateway_orders SET amount = $a, currency = $c, order_number = $n WHERE order_id = $i",
            ("$a", amount ?? o.Amount), ("$c", currency ?? o.Currency), ("$n", orderNumber ?? o.OrderNumber), ("$i", orderId));
        return true;
    });

    /// <summary>The order for the card page (expired lazily), or null.</summary>
    public Task<GatewayOrder?> ForPage(string? orderId) => db.WriteAsync((c, tx) =>
        orderId is null || GatewayStore.ById(c, tx, orderId) is not { } o ? null : ExpireIfDue(c, tx, o));

    /// <summary>The card form posted: checks, then approve, decline, or 3-D Secure. The PAN is used here and dropped.</summary>
    public Task<CardOutcome> SubmitCard(string? orderId, string? panInput, string? cardholder, string? expiry, string? cvc) => db.WriteAsync((c, tx) =>
    {
        GatewayOrder? o = orderId is null ? null : GatewayStore.ById(c, tx, orderId);
        if (o is null) return new CardOutcome("Unknown order.", null, false, null);
        o = ExpireIfDue(c, tx, o);
        if (o.OrderStatus != 0) return new CardOutcome(null, RedirectFor(o), false, o);
        DateTimeOffset now = clock.GetUtcNow();
        string pan = CardChecks.Digits(panInput);
        if (!CardChecks.Luhn(pan)) return new CardOutcome("The card number is not valid.", null, false, o);
        string? brand = CardChecks.Brand(pan);
        if (brand is null) return new CardOutcome("This card is not accepted here (ArCa, Visa or MasterCard).", null, false, o);
        string? expiration = CardChecks.Expiration(expiry, now, out string? expiryError);
        if (expiration is null) return new CardOutcome(expiryError, null, false, o);
        if (string.IsNullOrWhiteSpace(cardholder) || cardholder.Length > 64) return new CardOutcome("The cardholder's name is required.", null, false, o);
        if (cvc is null || cvc.Length is < 3 or > 4 || !cvc.All(char.IsAsciiDigit)) return new CardOutcome("The CVC2/CVV2 is 3 digits.", null, false, o);

        GatewayOrder withCard = o with { MaskedPan = CardChecks.Mask(pan), Expiration = expiration, Cardholder = cardholder.Trim().ToUpperInvariant(), Brand = brand };
        if (pan == TestCards.Declines116) return Decide(c, tx, withCard, ActionCodes.InsufficientFunds);
        if (pan == TestCards.HoldsOnly) return Decide(c, tx, withCard, ActionCodes.Approved, holdOnly: true);
        if (pan == TestCards.ThreeDSecure)
        {
            GatewayStore.Put(c, tx, withCard with { OrderStatus = 5 });
            return new CardOutcome(null, null, true, withCard);
        }
        return Decide(c, tx, withCard, ActionCodes.Approved);
    });

    /// <summary>The 3-D Secure page posted: 123456 passes and the payment is approved; anything else declines with -2006.</summary>
    public Task<CardOutcome> ConfirmThreeDSecure(string? orderId, string? code) => db.WriteAsync((c, tx) =>
    {
        GatewayOrder? o = orderId is null ? null : GatewayStore.ById(c, tx, orderId);
        if (o is null) return new CardOutcome("Unknown order.", null, false, null);
        o = ExpireIfDue(c, tx, o);
        if (o.OrderStatus != 5) return new CardOutcome(null, RedirectFor(o), false, o);
        return Decide(c, tx, o, code?.Trim() == TestCards.ThreeDSecureCode ? ActionCodes.Approved : ActionCodes.ThreeDSecureDeclined);
    });

    public List<object> List() => db.Read(c => GatewayStore.All(c).Select(o => (object)new
    {
        orderId = o.OrderId,
        orderNumber = o.OrderNumber,
        orderStatus = o.OrderStatus,
        amount = o.Amount,
        currency = o.Currency,
        actionCode = o.ActionCode,
        maskedPan = o.MaskedPan,
        createdAt = ContractDates.Time(o.CreatedAt),
    }).ToList());

    /// <summary>Approved: deposited (orderStatus 2), or only held (1, as for a two-stage merchant) when <paramref name="holdOnly"/>.</summary>
    private CardOutcome Decide(SqliteConnection c, SqliteTransaction tx, GatewayOrder o, int actionCode, bool holdOnly = false)
    {
        DateTimeOffset now = clock.GetUtcNow();
        GatewayOrder decided = actionCode == ActionCodes.Approved
            ? o with
            {
                OrderStatus = holdOnly ? 1 : 2, ActionCode = 0, ActionDescription = ActionCodes.Describe(0), ApprovalCode = ApprovalCode(),
                AuthRefNum = RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture)
                    + RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture),
                AuthAt = now, Deposited = holdOnly ? 0 : o.Amount,
            }
            : o with { OrderStatus = 6, ActionCode = actionCode, ActionDescription = ActionCodes.Describe(actionCode), AuthAt = now };
        GatewayStore.Put(c, tx, decided);
        return new CardOutcome(null, RedirectFor(decided), false, decided);
    }

    private GatewayOrder ExpireIfDue(SqliteConnection c, SqliteTransaction tx, GatewayOrder o)
    {
        if (o.OrderStatus is not (0 or 5) || clock.GetUtcNow() < o.CreatedAt.AddSeconds(o.SessionTimeout)) return o;
        GatewayOrder expired = o with { OrderStatus = 6, ActionCode = ActionCodes.TimeLimit, ActionDescription = ActionCodes.Describe(ActionCodes.TimeLimit) };
        GatewayStore.Put(c, tx, expired);
        return expired;
    }

    public static string RedirectFor(GatewayOrder o)
    {
        string url = o.OrderStatus is 1 or 2 or 3 or 4 || o.FailUrl is null ? o.ReturnUrl : o.FailUrl;
        return url + (url.Contains('?') ? "&" : "?") + "orderId=" + Uri.EscapeDataString(o.OrderId);
    }

    /// <summary>
    /// A returnUrl/failUrl the card page may send the holder to: http or https on a loopback host only (no
    /// javascript:, data: or file: link, no redirect off this machine), without user information.
    /// </summary>
    public static bool LoopbackWebUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)) return false;
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) return false;
        if (uri.UserInfo.Length > 0) return false;
        return uri.IsLoopback && (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _));
    }

    private bool Authorised(IFormCollection form) =>
        form["userName"] == options.MerchantUser && form["password"] == options.MerchantPassword;

    private static string ApprovalCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        return new string(Enumerable.Range(0, 6).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
    }

    private static Dictionary<string, object?> Error(int code, string message) =>
        new() { ["errorCode"] = code, ["errorMessage"] = message };

    private static Dictionary<string, object?> StringError(int code, string message) =>
        new() { ["errorCode"] = code.ToString(CultureInfo.InvariantCulture), ["errorMessage"] = message };
}
