namespace Ekeng.Sandbox.Crm;

/// <summary>POST /api/v1/registration.</summary>
public sealed record RegistrationRequest(string? Phone, bool DataConfirmed, bool TermsAccepted, string? TermsVersion, bool PayOnline);
