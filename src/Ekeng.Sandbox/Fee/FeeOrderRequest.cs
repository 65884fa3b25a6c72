namespace Ekeng.Sandbox.Fee;

/// <summary>POST /api/v1/fee/orders.</summary>
public sealed record FeeOrderRequest(string? Language, bool NextPeriod);
