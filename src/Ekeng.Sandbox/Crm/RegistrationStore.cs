using Ekeng.Sandbox.Hosting;
using Ekeng.Sandbox.Storage;
using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Crm;

/// <summary>SQL for registrations and SMS codes; callers hold the writer lock for changes.</summary>
public static class RegistrationStore
{
    public static RegistrationRow? Get(SqliteConnection c, SqliteTransaction? tx, string psn) =>
        SandboxDatabase.Query(c, tx, "SELECT * FROM registrations WHERE psn = $p", r => new RegistrationRow(
            r.GetString(r.GetOrdinal("psn")), r.GetString(r.GetOrdinal("holder_name")), SandboxDatabase.ReadString(r, "phone"),
            r.GetString(r.GetOrdinal("status")), r.GetInt64(r.GetOrdinal("pay_online")) != 0, SandboxDatabase.ReadString(r, "terms_version"),
            SandboxDatabase.ReadStamp(r, "requested_at"), SandboxDatabase.ReadStamp(r, "activated_at"), SandboxDatabase.ReadStamp(r, "usable_from"),
            SandboxDatabase.ReadString(r, "paid_until") is { } pu ? ContractDates.ParseDate(pu) : null,
            SandboxDatabase.ReadString(r, "period_anchor") is { } pa ? ContractDates.ParseDate(pa) : null), ("$p", psn)).FirstOrDefault();

    public static void Put(SqliteConnection c, SqliteTransaction tx, RegistrationRow row) =>
        SandboxDatabase.Execute(c, tx, """
            INSERT INTO registrations (psn, holder_name, phone, status, pay_online, terms_version, requested_at, activated_at, usable_from, paid_until, period_anchor)
            VALUES ($psn, $name, $phone, $status, $pay, $terms, $req, $act, $use, $paid, $anchor)
            ON CONFLICT (psn) DO UPDATE SET holder_name = $name, phone = $phone, status = $status, pay_online = $pay, terms_version = $terms,
                requested_at = $req, activated_at = $act, usable_from = $use, paid_until = $paid, period_anchor = $anchor
            """,
            ("$psn", row.Psn), ("$name", row.HolderName), ("$phone", row.Phone), ("$status", row.Status), ("$pay", row.PayOnline ? 1 : 0),
            ("$terms", row.TermsVersion), ("$req", Stamp(row.RequestedAt)), ("$act", Stamp(row.ActivatedAt)), ("$use", Stamp(row.UsableFrom)),
            ("$paid", row.PaidUntil is { } p ? ContractDates.Date(p) : null), ("$anchor", row.PeriodAnchor is { } a ? ContractDates.Date(a) : null));

    public static SmsCodeRow? LatestCode(SqliteConnection c, SqliteTransaction? tx, string psn) =>
        SandboxDatabase.Query(c, tx, "SELECT * FROM sms_codes WHERE psn = $p ORDER BY id DESC LIMIT 1", Map, ("$p", psn)).FirstOrDefault();

    public static bool WasResentAway(SqliteConnection c, SqliteTransaction? tx, string psn, string code) =>
        SandboxDatabase.Scalar(c, tx, "SELECT 1 FROM sms_codes WHERE psn = $p AND code = $c AND state = 'VoidedResent' LIMIT 1", ("$p", psn), ("$c", code)) is not null;

    /// <summary>How many codes the holder was sent from <paramref name="since"/> on (stamps are ISO text: they sort as times).</summary>
    public static long CodesSince(SqliteConnection c, SqliteTransaction? tx, string psn, DateTimeOffset since) =>
        (long)(SandboxDatabase.Scalar(c, tx, "SELECT COUNT(*) FROM sms_codes WHERE psn = $p AND sent_at >= $s", ("$p", psn), ("$s", SandboxDatabase.Stamp(since))) ?? 0L);

    public static void AddCode(SqliteConnection c, SqliteTransaction tx, string psn, string code, string purpose, DateTimeOffset sentAt, DateTimeOffset expiresAt) =>
        SandboxDatabase.Execute(c, tx, "INSERT INTO sms_codes (psn, code, purpose, sent_at, expires_at, attempts_left, state) VALUES ($p, $c, $u, $s, $e, 3, 'Live')",
            ("$p", psn), ("$c", code), ("$u", purpose), ("$s", SandboxDatabase.Stamp(sentAt)), ("$e", SandboxDatabase.Stamp(expiresAt)));

    public static void SetCodeState(SqliteConnection c, SqliteTransaction tx, long id, int attemptsLeft, string state) =>
        SandboxDatabase.Execute(c, tx, "UPDATE sms_codes SET attempts_left = $a, state = $s WHERE id = $i", ("$a", attemptsLeft), ("$s", state), ("$i", id));

    public static void VoidLive(SqliteConnection c, SqliteTransaction tx, string psn) =>
        SandboxDatabase.Execute(c, tx, "UPDATE sms_codes SET state = 'VoidedResent' WHERE psn = $p AND state = 'Live'", ("$p", psn));

    private static string? Stamp(DateTimeOffset? value) => value is { } v ? SandboxDatabase.Stamp(v) : null;

    private static SmsCodeRow Map(SqliteDataReader r) => new(
        r.GetInt64(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("code")), r.GetString(r.GetOrdinal("purpose")),
        SandboxDatabase.ReadStamp(r, "sent_at")!.Value, SandboxDatabase.ReadStamp(r, "expires_at")!.Value,
        (int)r.GetInt64(r.GetOrdinal("attempts_left")), r.GetString(r.GetOrdinal("state")));
}
