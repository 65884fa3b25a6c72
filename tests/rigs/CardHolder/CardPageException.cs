namespace Ekeng.Rigs.CardHolder;

/// <summary>The card page said no (a Luhn or expiry error, a refused 3-D Secure code) or never reached the return URL.</summary>
public sealed class CardPageException(string message) : Exception(message);
