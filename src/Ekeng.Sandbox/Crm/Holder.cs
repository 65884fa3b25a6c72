namespace Ekeng.Sandbox.Crm;

/// <summary>The card holder the client certificate names.</summary>
public sealed record Holder(string Name, string PublicServiceNumber, string Thumbprint, string Subject);
