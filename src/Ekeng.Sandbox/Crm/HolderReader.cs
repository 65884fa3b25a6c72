using System.Formats.Asn1;
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
        foreach ((string oid, string? value) in Attributes(certificate.SubjectName))
        {
            switch (oid)
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

    /// <summary>Every attribute of the name, those of a multi-valued RDN (GN + SN in one set) included.</summary>
    private static IEnumerable<(string Oid, string? Value)> Attributes(X500DistinguishedName name)
    {
        foreach (X500RelativeDistinguishedName rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements)
            {
                yield return (rdn.GetSingleElementType().Value ?? string.Empty, rdn.GetSingleElementValue());
                continue;
            }

            AsnReader set = new AsnReader(rdn.RawData, AsnEncodingRules.DER).ReadSetOf(skipSortOrderValidation: true);
            while (set.HasData)
            {
                AsnReader attribute = set.ReadSequence();
                string oid = attribute.ReadObjectIdentifier();
                Asn1Tag tag = attribute.PeekTag();
                string? value = null;
                try
                {
                    value = attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                }
                catch (Exception e) when (e is AsnContentException || e is ArgumentException)
                {
                    // Not a character string: no name part of ours.
                }

                yield return (oid, value);
            }
        }
    }

    [GeneratedRegex(@"(?:^|\D)(\d{10})$")]
    private static partial Regex TrailingTen();
}
