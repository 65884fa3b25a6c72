namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// <c>GET /.well-known/ekeng-contract</c>, without a client certificate: the name and version of the API this sandbox
/// speaks (docs/WIRE-CONTRACT.md). The module asks it before any card login and refuses a service that does not answer it.
/// </summary>
public static class ContractDocument
{
    public const string Path = "/.well-known/ekeng-contract";
    public const string Name = "ekeng-powershell-crm";
    public const string Version = "1.0";

    public static void Map(WebApplication app) =>
        app.MapGet(Path, () => Results.Json(new Dictionary<string, object?> { ["contract"] = Name, ["version"] = Version }));
}
