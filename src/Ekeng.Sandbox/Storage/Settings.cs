using System.Globalization;

namespace Ekeng.Sandbox.Storage;

/// <summary>Reads the settings table (the fee, the period, the terms).</summary>
public sealed class Settings(SandboxDatabase db)
{
    public string Get(string key) =>
        db.Read(c => SandboxDatabase.Scalar(c, null, "SELECT value FROM settings WHERE key = $k", ("$k", key)) as string)
        ?? throw new InvalidOperationException($"Setting {key} is missing.");

    public int GetInt(string key) => int.Parse(Get(key), CultureInfo.InvariantCulture);
}
