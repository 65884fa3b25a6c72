using System.Globalization;
using Ekeng.Sandbox.Crm;
using Ekeng.Sandbox.Gateway;
using Ekeng.Sandbox.Storage;

namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// `--test-controls` only (never in a normal start): paths that let tests move the sandbox's clock forward,
/// hold a gateway status reply (so that they wait on events instead of sleeping), and put a holder's paid period
/// where a test needs it (ending soon, lapsed) against the real time the module reads.
/// </summary>
public static class TestEndpoints
{
    public static void Map(WebApplication app)
    {
        // POST /sandbox/test/clock?advanceSeconds=N → {"now","offsetSeconds"}
        app.MapPost("/sandbox/test/clock", (string? advanceSeconds, ShiftableClock clock) =>
        {
            if (!double.TryParse(advanceSeconds ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds < 0 || seconds > 10 * 365 * 86400.0)
                return ApiError.Result(400, "InvalidRequest", "advanceSeconds: a number of seconds, not negative.");
            clock.Advance(TimeSpan.FromSeconds(seconds));
            return Results.Json(new Dictionary<string, object?> { ["now"] = ContractDates.Time(clock.GetUtcNow()), ["offsetSeconds"] = clock.Offset.TotalSeconds });
        });
        // Arm: the next getOrderStatusExtended.do of the order reads it, then waits for release.
        app.MapPost("/sandbox/test/gateway-hold", (string? orderId, StatusHolds holds) =>
        {
            if (string.IsNullOrEmpty(orderId)) return ApiError.Result(400, "InvalidRequest", "?orderId= is required.");
            holds.Arm(orderId);
            return Results.NoContent();
        });
        // Waits (up to 60 s) until a held status call has read the order: 204, else 408.
        app.MapPost("/sandbox/test/gateway-hold/reached", async (string? orderId, StatusHolds holds) =>
            !string.IsNullOrEmpty(orderId) && await holds.WaitReachedAsync(orderId, TimeSpan.FromSeconds(60))
                ? Results.NoContent()
                : ApiError.Result(408, "HoldNotReached", "No status call of that order reached its hold."));
        // A gateway that answers other values than the merchant registered: sets the stored gateway order's amount
        // (luma), currency (N3) or orderNumber, as a faulty or tampered gateway would report them.
        app.MapPost("/sandbox/test/gateway-order", async (string? orderId, long? amount, string? currency, string? orderNumber, GatewayService gw) =>
            !string.IsNullOrEmpty(orderId) && await gw.Tamper(orderId, amount, currency, orderNumber)
                ? Results.NoContent()
                : ApiError.Result(404, "OrderNotFound", "No gateway order with that orderId."));
        // A registered holder's paid period: ?publicServiceNumber=&paidUntil=yyyy-MM-dd (empty: never paid) → 204; 404
        // without a registration. The module compares it with the real time, which the clock above cannot move back.
        app.MapPost("/sandbox/test/paid-until", async (string? publicServiceNumber, string? paidUntil, SandboxDatabase db) =>
        {
            DateOnly? date = null;
            if (!string.IsNullOrEmpty(paidUntil))
            {
                if (!DateOnly.TryParseExact(paidUntil, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly parsed))
                    return ApiError.Result(400, "InvalidRequest", "paidUntil: a date, yyyy-MM-dd (or empty).");
                date = parsed;
            }
            if (string.IsNullOrEmpty(publicServiceNumber)) return ApiError.Result(400, "InvalidRequest", "?publicServiceNumber= is required.");
            bool found = await db.WriteAsync((c, tx) =>
            {
                if (RegistrationStore.Get(c, tx, publicServiceNumber) is not { } row) return false;
                RegistrationStore.Put(c, tx, row with { PaidUntil = date });
                return true;
            });
            return found ? Results.NoContent() : ApiError.Result(404, "NotRegistered", "No registration of that holder.");
        });
        app.MapPost("/sandbox/test/gateway-hold/release", (string? orderId, StatusHolds holds) =>
            !string.IsNullOrEmpty(orderId) && holds.Release(orderId) ? Results.NoContent() : ApiError.Result(404, "NoHold", "No hold for that order."));
    }
}
