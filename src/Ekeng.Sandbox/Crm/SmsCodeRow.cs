namespace Ekeng.Sandbox.Crm;

/// <summary>One SMS code as stored. State: Live, Used, VoidedAttempts, VoidedResent.</summary>
public sealed record SmsCodeRow(long Id, string Code, string Purpose, DateTimeOffset SentAt, DateTimeOffset ExpiresAt, int AttemptsLeft, string State);
