using System.Globalization;

namespace Ekeng.Sandbox.Gateway;

/// <summary>Card checks on the payment page: Luhn, expiry, brand from the BIN, masking.</summary>
public static class CardChecks
{
    public static string Digits(string? pan) => new((pan ?? "").Where(ch => ch != ' ' && ch != '-').ToArray());

    public static bool Luhn(string pan)
    {
        if (pan.Length is < 12 or > 19 || !pan.All(char.IsAsciiDigit)) return false;
        int sum = 0;
        bool twice = false;
        for (int i = pan.Length - 1; i >= 0; i--)
        {
            int d = pan[i] - '0';
            if (twice) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /// <summary>ArCa (9051…), Visa (4…), MasterCard (51–55, 2221–2720), else null.</summary>
    public static string? Brand(string pan)
    {
        if (pan.StartsWith("9051", StringComparison.Ordinal)) return "ArCa";
        if (pan.StartsWith('4')) return "Visa";
        if (pan.Length >= 4)
        {
            int two = int.Parse(pan[..2], CultureInfo.InvariantCulture), four = int.Parse(pan[..4], CultureInfo.InvariantCulture);
            if (two is >= 51 and <= 55 || four is >= 2221 and <= 2720) return "MasterCard";
        }
        return null;
    }

    public static string Mask(string pan) => pan[..6] + "**" + pan[^4..];

    /// <summary>MM/YY → YYYYMM when the card is valid this month or later; error text otherwise.</summary>
    public static string? Expiration(string? input, DateTimeOffset now, out string? error)
    {
        error = null;
        string s = (input ?? "").Trim().Replace(" ", "", StringComparison.Ordinal);
        if (s.Length != 5 || s[2] != '/' || !int.TryParse(s[..2], NumberStyles.None, CultureInfo.InvariantCulture, out int month)
            || !int.TryParse(s[3..], NumberStyles.None, CultureInfo.InvariantCulture, out int year) || month is < 1 or > 12)
        {
            error = "The expiry date must be MM/YY.";
            return null;
        }
        year += 2000;
        if (year < now.UtcDateTime.Year || (year == now.UtcDateTime.Year && month < now.UtcDateTime.Month))
        {
            error = "The card has expired.";
            return null;
        }
        return $"{year:D4}{month:D2}";
    }
}
