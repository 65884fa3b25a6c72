namespace Ekeng.Rigs.CardHolder;

/// <summary>Where the browser ended after the card page, and how long the form took.</summary>
public sealed record CardHolderResult(string FinalUrl, string Title, bool PassedThreeDSecure, TimeSpan FormTime);
