namespace Ekeng.Sandbox.Crm;

/// <summary>POST /api/v1/registration/activate.</summary>
public sealed record ActivationRequest(string? Code);
