namespace Ekeng.Rigs.CardHolder;

/// <summary>TEST card data, from the environment only (EKENG_TEST_PAN, EKENG_TEST_EXPIRY, EKENG_TEST_CVC, EKENG_TEST_CARDHOLDER).</summary>
public sealed record TestCard(string Pan, string Expiry, string Cvc, string Cardholder)
{
    public const string PanVariable = "EKENG_TEST_PAN";
    public const string ExpiryVariable = "EKENG_TEST_EXPIRY";
    public const string CvcVariable = "EKENG_TEST_CVC";
    public const string CardholderVariable = "EKENG_TEST_CARDHOLDER";

    /// <summary>Reads the four variables; names the missing ones.</summary>
    public static TestCard FromEnvironment(Func<string, string?> get)
    {
        string? pan = get(PanVariable), expiry = get(ExpiryVariable), cvc = get(CvcVariable), holder = get(CardholderVariable);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(pan)) missing.Add(PanVariable);
        if (string.IsNullOrWhiteSpace(expiry)) missing.Add(ExpiryVariable);
        if (string.IsNullOrWhiteSpace(cvc)) missing.Add(CvcVariable);
        if (string.IsNullOrWhiteSpace(holder)) missing.Add(CardholderVariable);
        if (missing.Count > 0)
        {
            throw new ArgumentException($"The test card comes from the environment; missing: {string.Join(", ", missing)}.");
        }

        return new TestCard(pan!.Trim(), expiry!.Trim(), cvc!.Trim(), holder!.Trim());
    }

    /// <summary>Never the number itself: the last four digits only.</summary>
    public override string ToString() => $"card ending {(Pan.Length >= 4 ? Pan[^4..] : "?")}";
}
