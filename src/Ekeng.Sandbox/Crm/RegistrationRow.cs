namespace Ekeng.Sandbox.Crm;

/// <summary>One holder's registration as stored.</summary>
public sealed record RegistrationRow(
    string Psn, string HolderName, string? Phone, string Status, bool PayOnline, string? TermsVersion,
    DateTimeOffset? RequestedAt, DateTimeOffset? ActivatedAt, DateTimeOffset? UsableFrom, DateOnly? PaidUntil, DateOnly? PeriodAnchor);
