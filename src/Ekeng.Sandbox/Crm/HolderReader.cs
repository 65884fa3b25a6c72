using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Ekeng.Sandbox.Crm;

/// <summary>
/// Reads the holder from a card certificate: Latin name from GIVENNAME + SURNAME (else CN without its trailing
/// 10-digit group), ՀԾՀ from SERIALNUMBER (2.5.4.5) or the trailing 10-digit group of CN.
/// </summary>
public static partial class HolderReader
{
    public const string HolderKey = "Ekeng.Sandbox.Holder";

    public static Holder? Read(X509Certificate2 certificate)
    {
        string? given = null, surname = null, cn = null, serial = null;
        foreach (X500RelativeDistinguishedName rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements) continue;
            string? value = rdn.GetSingleElementValue();
            switch (rdn.GetSingleElementType().Value)
            {
                case "2.5.4.42": given = value; break;
                case "2.5.4.4": surname = value; break;
                case "2.5.4.3": cn = value; break;
                case "2.5.4.5": serial = value; break;
            }
        }
        string? psn = null;
        if (serial is not null && TrailingTen().Match(serial.Trim()) is { Success: true } s) psn = s.Groups[1].Value;
        if (psn is null && cn is not null && TrailingTen().Match(cn.Trim()) is { Success: true } c) psn = c.Groups[1].Value;
        if (psn is null) return null;

        string name;
        if (!string.IsNullOrWhiteSpace(given) && !string.IsNullOrWhiteSpace(surname)) name = $"{given.Trim()} {surname.Trim()}";
        else if (cn is not null) name = TrailingTen().Replace(cn.Trim(), "").Trim();
        else name = psn;
        return new Holder(name, psn, certificate.Thumbprint, certificate.Subject);
    }

    [GeneratedRegex(@"(?:^|\D)(\d{10})$")]
    private static partial Regex TrailingTen();
}
