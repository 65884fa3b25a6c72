namespace Ekeng.Sandbox.Gateway;

/// <summary>The test cards of the gateway's page (README.md, "Test cards") and the 3-D Secure code it accepts.</summary>
public static class TestCards
{
    public const string Approves = "4083060013681818";
    public const string Declines116 = "4000000000009995";
    public const string ThreeDSecure = "4000000000003220";

    /// <summary>Approved as a hold only (orderStatus 1, nothing deposited), as a two-stage merchant's payment would stay.</summary>
    public const string HoldsOnly = "4000000000001091";
    public const string ThreeDSecureCode = "123456";
}
