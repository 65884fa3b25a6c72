using Ekeng.Sandbox.Hosting;
using Ekeng.Sandbox.Storage;
using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Fee;

/// <summary>SQL for fee orders; callers hold the writer lock for changes.</summary>
public static class FeeStore
{
    public static List<FeeOrderRow> ForHolder(SqliteConnection c, SqliteTransaction? tx, string psn) =>
        SandboxDatabase.Query(c, tx, "SELECT * FROM fee_orders WHERE psn = $p ORDER BY created_at DESC, attempt DESC", Map, ("$p", psn));

    public static FeeOrderRow? ByNumber(SqliteConnection c, SqliteTransaction? tx, string orderNumber) =>
        SandboxDatabase.Query(c, tx, "SELECT * FROM fee_orders WHERE order_number = $n", Map, ("$n", orderNumber)).FirstOrDefault();

    public static FeeOrderRow? ByOrderId(SqliteConnection c, SqliteTransaction? tx, string orderId) =>
        SandboxDatabase.Query(c, tx, "SELECT * FROM fee_orders WHERE order_id = $i", Map, ("$i", orderId)).FirstOrDefault();

    /// <summary>Stores a NEW order (an existing order number is an error: changes go through <see cref="UpdateFrom"/>).</summary>
    public static void Insert(SqliteConnection c, SqliteTransaction tx, FeeOrderRow o) =>
        SandboxDatabase.Execute(c, tx, """
            INSERT INTO fee_orders (order_number, order_id, psn, holder_name, attempt, period_start, period_end, amount, currency, status, order_status,
                action_code, action_description, method, masked_pan, approval_code, cardholder, paid_at, payment_url, created_at,
                gateway_amount, gateway_currency, gateway_order_number, mismatch)
            VALUES ($n, $id, $psn, $name, $att, $ps, $pe, $amt, $cur, $st, $os, $ac, $ad, $m, $pan, $apc, $ch, $pa, $url, $ca, $ga, $gc, $gn, $mm)
            """, Parameters(o));

    /// <summary>
    /// Stores a refreshed order only if its status is still <paramref name="expectedStatus"/> (the one the caller
    /// moved from); false when another request changed it first.
    /// </summary>
    public static bool UpdateFrom(SqliteConnection c, SqliteTransaction tx, string expectedStatus, FeeOrderRow o) =>
        SandboxDatabase.Execute(c, tx, """
            UPDATE fee_orders SET status = $st, order_status = $os, action_code = $ac, action_description = $ad, method = $m,
                masked_pan = $pan, approval_code = $apc, cardholder = $ch, paid_at = $pa,
                gateway_amount = $ga, gateway_currency = $gc, gateway_order_number = $gn, mismatch = $mm
            WHERE order_number = $n AND status = $expected
            """, [.. Parameters(o), ("$expected", expectedStatus)]) == 1;

    private static (string Name, object? Value)[] Parameters(FeeOrderRow o) =>
        [("$n", o.OrderNumber), ("$id", o.OrderId), ("$psn", o.Psn), ("$name", o.HolderName), ("$att", o.Attempt), ("$ps", ContractDates.Date(o.PeriodStart)),
            ("$pe", ContractDates.Date(o.PeriodEnd)), ("$amt", o.Amount), ("$cur", o.Currency), ("$st", o.Status), ("$os", o.OrderStatus), ("$ac", o.ActionCode),
            ("$ad", o.ActionDescription), ("$m", o.Method), ("$pan", o.MaskedPan), ("$apc", o.ApprovalCode), ("$ch", o.Cardholder),
            ("$pa", o.PaidAt is { } p ? SandboxDatabase.Stamp(p) : null), ("$url", o.PaymentUrl), ("$ca", SandboxDatabase.Stamp(o.CreatedAt)),
            ("$ga", o.GatewayAmount), ("$gc", o.GatewayCurrency), ("$gn", o.GatewayOrderNumber), ("$mm", o.Mismatch)];

    private static FeeOrderRow Map(SqliteDataReader r) => new(
        r.GetString(r.GetOrdinal("order_number")), r.GetString(r.GetOrdinal("order_id")), r.GetString(r.GetOrdinal("psn")),
        r.GetString(r.GetOrdinal("holder_name")), (int)r.GetInt64(r.GetOrdinal("attempt")), ContractDates.ParseDate(r.GetString(r.GetOrdinal("period_start"))),
        ContractDates.ParseDate(r.GetString(r.GetOrdinal("period_end"))), r.GetInt64(r.GetOrdinal("amount")), r.GetString(r.GetOrdinal("currency")),
        r.GetString(r.GetOrdinal("status")), (int)r.GetInt64(r.GetOrdinal("order_status")),
        SandboxDatabase.ReadLong(r, "action_code") is { } ac ? (int)ac : null, SandboxDatabase.ReadString(r, "action_description"),
        SandboxDatabase.ReadString(r, "method"), SandboxDatabase.ReadString(r, "masked_pan"), SandboxDatabase.ReadString(r, "approval_code"),
        SandboxDatabase.ReadString(r, "cardholder"), SandboxDatabase.ReadStamp(r, "paid_at"), r.GetString(r.GetOrdinal("payment_url")),
        SandboxDatabase.ReadStamp(r, "created_at")!.Value, SandboxDatabase.ReadLong(r, "gateway_amount"), SandboxDatabase.ReadString(r, "gateway_currency"),
        SandboxDatabase.ReadString(r, "gateway_order_number"), SandboxDatabase.ReadString(r, "mismatch"));
}
