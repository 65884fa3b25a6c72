using Ekeng.Sandbox.Hosting;

namespace Ekeng.Sandbox.Storage;

/// <summary>The client certificates seen (for /sandbox/logins).</summary>
public sealed class LoginLog(SandboxDatabase db, TimeProvider clock)
{
    public Task Record(string thumbprint, string subject, string path) =>
        db.WriteAsync((c, tx) => SandboxDatabase.Execute(c, tx,
            "INSERT INTO logins (thumbprint, subject, at, path) VALUES ($t, $s, $a, $p)",
            ("$t", thumbprint), ("$s", subject), ("$a", SandboxDatabase.Stamp(clock.GetUtcNow())), ("$p", path)));

    public List<object> List() => db.Read(c => SandboxDatabase.Query<object>(c, null,
        "SELECT thumbprint, subject, at, path FROM logins ORDER BY id DESC LIMIT 1000",
        r => new
        {
            thumbprint = r.GetString(0),
            subject = r.GetString(1),
            at = ContractDates.Time(SandboxDatabase.ReadStamp(r, "at")),
            path = r.GetString(3),
        }));
}
