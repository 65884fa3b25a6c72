namespace Ekeng.Rigs.VirtualCard;

/// <summary>Hex text for the command line and the event lines.</summary>
internal static class Hex
{
    /// <summary>Parses "3B:DC:18", "3B DC 18", "3b-dc-18" or "3BDC18".</summary>
    public static byte[] Parse(string text)
    {
        var digits = new string(text.Where(c => c is not (':' or ' ' or '-' or '\t')).ToArray());
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length == 0 || digits.Length % 2 != 0)
        {
            throw new FormatException($"'{text}' is not an even number of hex digits.");
        }

        return Convert.FromHexString(digits);
    }

    /// <summary>Upper-case hex without separators, as in the event lines.</summary>
    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
