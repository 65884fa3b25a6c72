namespace Ekeng.Sandbox.Hosting;

/// <summary>The base URIs of the two listeners, known once Kestrel has bound them (port 0 = a free one).</summary>
public sealed class ListenerUris
{
    public string Crm { get; set; } = "";
    public string Gateway { get; set; } = "";
}
