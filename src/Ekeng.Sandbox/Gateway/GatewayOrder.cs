namespace Ekeng.Sandbox.Gateway;

/// <summary>
/// One order at the gateway. Only the masked PAN is ever kept: never the full card number, never the CVC.
/// OrderStatus: 0 registered, 1 held, 2 deposited, 3 reversed, 4 refunded, 5 3-D Secure started, 6 declined.
/// </summary>
public sealed record GatewayOrder(
    string OrderId, string Merchant, string OrderNumber, long Amount, string Currency, string? Description, string ReturnUrl, string? FailUrl,
    string Language, int SessionTimeout, DateTimeOffset CreatedAt, int OrderStatus, int ActionCode, string ActionDescription,
    string? MaskedPan, string? Expiration, string? Cardholder, string? Brand, string? ApprovalCode, string? AuthRefNum, DateTimeOffset? AuthAt,
    long Deposited, long Refunded);
