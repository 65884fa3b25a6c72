namespace Ekeng.Sandbox.Crm;

/// <summary>
/// The card holder the client certificate names. A route handler takes it as a parameter: bound from what
/// ClientCertificateGate put on the request (every path outside /sandbox/ passes the gate first).
/// </summary>
public sealed record Holder(string Name, string PublicServiceNumber, string Thumbprint, string Subject)
{
    public static ValueTask<Holder?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Items[HolderReader.HolderKey] as Holder);
}
