using Ekeng.Sandbox.Hosting;
using Microsoft.Data.Sqlite;

namespace Ekeng.Sandbox.Storage;

/// <summary>The SMS messages "sent" (for /sandbox/sms): the only place a code leaves the sandbox.</summary>
public sealed class SmsOutbox(SandboxDatabase db)
{
    public static void Send(SqliteConnection c, SqliteTransaction tx, string phone, string code, string purpose, DateTimeOffset at) =>
        SandboxDatabase.Execute(c, tx, "INSERT INTO sms_outbox (phone, code, purpose, sent_at) VALUES ($p, $c, $u, $s)",
            ("$p", phone), ("$c", code), ("$u", purpose), ("$s", SandboxDatabase.Stamp(at)));

    public List<object> List(string phone) => db.Read(c => SandboxDatabase.Query<object>(c, null,
        "SELECT phone, code, purpose, sent_at FROM sms_outbox WHERE phone = $p ORDER BY id DESC",
        r => new { phone = r.GetString(0), code = r.GetString(1), purpose = r.GetString(2), sentAt = ContractDates.Time(SandboxDatabase.ReadStamp(r, "sent_at")) },
        ("$p", phone)));
}
