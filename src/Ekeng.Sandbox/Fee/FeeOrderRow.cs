namespace Ekeng.Sandbox.Fee;

/// <summary>One fee order (one attempt) as stored on EKENG's side.</summary>
public sealed record FeeOrderRow(
    string OrderNumber, string OrderId, string Psn, string HolderName, int Attempt, DateOnly PeriodStart, DateOnly PeriodEnd, long Amount,
    string Currency, string Status, int OrderStatus, int? ActionCode, string? ActionDescription, string? Method, string? MaskedPan,
    string? ApprovalCode, string? Cardholder, DateTimeOffset? PaidAt, string PaymentUrl, DateTimeOffset CreatedAt);
