using Ekeng.Sandbox.Storage;
using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Gateway;

/// <summary>SQL for gateway orders; callers hold the writer lock for changes.</summary>
public static class GatewayStore
{
    public static GatewayOrder? ById(SqliteConnection c, SqliteTransaction? tx, string orderId) =>
        SandboxDatabase.Query(c, tx, "SELECT * FROM gateway_orders WHERE order_id = $i", Map, ("$i", orderId)).FirstOrDefault();

    public static GatewayOrder? ByNumber(SqliteConnection c, SqliteTransaction? tx, string merchant, string orderNumber) =>
        SandboxDatabase.Query(c, tx, "SELECT * FROM gateway_orders WHERE merchant = $m AND order_number = $n", Map, ("$m", merchant), ("$n", orderNumber)).FirstOrDefault();

    public static List<GatewayOrder> All(SqliteConnection c) =>
        SandboxDatabase.Query(c, null, "SELECT * FROM gateway_orders ORDER BY created_at DESC", Map);

    public static void Put(SqliteConnection c, SqliteTransaction tx, GatewayOrder o) =>
        SandboxDatabase.Execute(c, tx, """
            INSERT INTO gateway_orders (order_id, merchant, order_number, amount, currency, description, return_url, fail_url, language, session_timeout,
                created_at, order_status, action_code, action_description, masked_pan, expiration, cardholder, brand, approval_code, auth_ref_num, auth_at, deposited, refunded)
            VALUES ($id, $m, $n, $amt, $cur, $d, $ru, $fu, $lang, $st, $ca, $os, $ac, $ad, $pan, $exp, $ch, $br, $apc, $arn, $aat, $dep, $ref)
            ON CONFLICT (order_id) DO UPDATE SET order_status = $os, action_code = $ac, action_description = $ad, masked_pan = $pan, expiration = $exp,
                cardholder = $ch, brand = $br, approval_code = $apc, auth_ref_num = $arn, auth_at = $aat, deposited = $dep, refunded = $ref
            """,
            ("$id", o.OrderId), ("$m", o.Merchant), ("$n", o.OrderNumber), ("$amt", o.Amount), ("$cur", o.Currency), ("$d", o.Description),
            ("$ru", o.ReturnUrl), ("$fu", o.FailUrl), ("$lang", o.Language), ("$st", o.SessionTimeout), ("$ca", SandboxDatabase.Stamp(o.CreatedAt)),
            ("$os", o.OrderStatus), ("$ac", o.ActionCode), ("$ad", o.ActionDescription), ("$pan", o.MaskedPan), ("$exp", o.Expiration),
            ("$ch", o.Cardholder), ("$br", o.Brand), ("$apc", o.ApprovalCode), ("$arn", o.AuthRefNum),
            ("$aat", o.AuthAt is { } a ? SandboxDatabase.Stamp(a) : null), ("$dep", o.Deposited), ("$ref", o.Refunded));

    private static GatewayOrder Map(SqliteDataReader r) => new(
        r.GetString(r.GetOrdinal("order_id")), r.GetString(r.GetOrdinal("merchant")), r.GetString(r.GetOrdinal("order_number")),
        r.GetInt64(r.GetOrdinal("amount")), r.GetString(r.GetOrdinal("currency")), SandboxDatabase.ReadString(r, "description"),
        r.GetString(r.GetOrdinal("return_url")), SandboxDatabase.ReadString(r, "fail_url"), r.GetString(r.GetOrdinal("language")),
        (int)r.GetInt64(r.GetOrdinal("session_timeout")), SandboxDatabase.ReadStamp(r, "created_at")!.Value,
        (int)r.GetInt64(r.GetOrdinal("order_status")), (int)r.GetInt64(r.GetOrdinal("action_code")), r.GetString(r.GetOrdinal("action_description")),
        SandboxDatabase.ReadString(r, "masked_pan"), SandboxDatabase.ReadString(r, "expiration"), SandboxDatabase.ReadString(r, "cardholder"),
        SandboxDatabase.ReadString(r, "brand"), SandboxDatabase.ReadString(r, "approval_code"), SandboxDatabase.ReadString(r, "auth_ref_num"),
        SandboxDatabase.ReadStamp(r, "auth_at"), r.GetInt64(r.GetOrdinal("deposited")), r.GetInt64(r.GetOrdinal("refunded")));
}
