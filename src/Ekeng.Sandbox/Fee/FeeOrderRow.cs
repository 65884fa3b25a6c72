namespace Ekeng.Sandbox.Fee;

/// <summary>
/// One fee order (one attempt) as stored on EKENG's side. Gateway*: what the gateway's status said last (amount in
/// luma, currency N3, order number); Mismatch: which of them differ from the order (comma-separated), else null.
/// </summary>
public sealed record FeeOrderRow(
    string OrderNumber, string OrderId, string Psn, string HolderName, int Attempt, DateOnly PeriodStart, DateOnly PeriodEnd, long Amount,
    string Currency, string Status, int OrderStatus, int? ActionCode, string? ActionDescription, string? Method, string? MaskedPan,
    string? ApprovalCode, string? Cardholder, DateTimeOffset? PaidAt, string PaymentUrl, DateTimeOffset CreatedAt,
    long? GatewayAmount = null, string? GatewayCurrency = null, string? GatewayOrderNumber = null, string? Mismatch = null);
