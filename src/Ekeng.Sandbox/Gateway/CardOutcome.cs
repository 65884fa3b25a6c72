namespace Ekeng.Sandbox.Gateway;

/// <summary>What the card page does next: show an error on the form, go to 3-D Secure, or redirect to the merchant.</summary>
public sealed record CardOutcome(string? Error, string? RedirectUrl, bool ThreeDSecure, GatewayOrder? Order);
