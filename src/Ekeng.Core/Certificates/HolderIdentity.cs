using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Ekeng.Certificates
{
    /// <summary>
    /// The holder's Latin name and public service number (ՀԾՀ) from a certificate subject. The exact ARMID subject
    /// layout is not public, so every known form is read (DESIGN.md §3): SERIALNUMBER (2.5.4.5) with the 10 digits
    /// (alone or after a prefix such as <c>PNOAM-</c>), GIVENNAME (2.5.4.42) + SURNAME (2.5.4.4), and a CN whose
    /// last group is the 10 digits (<c>ARMEN SARGSYAN 1234567890</c>).
    /// </summary>
    public sealed class HolderIdentity
    {
        public const string CommonNameOid = "2.5.4.3";
        public const string SurnameOid = "2.5.4.4";
        public const string SerialNumberOid = "2.5.4.5";
        public const string GivenNameOid = "2.5.4.42";

        private static readonly Regex TrailingNumber = new Regex(@"(?:^|[^0-9])(?<n>[0-9]{10})\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex TenDigits = new Regex(@"^[0-9]{10}$", RegexOptions.CultureInvariant);

        private HolderIdentity(string? name, string? number)
        {
            Name = name;
            PublicServiceNumber = number;
        }

        /// <summary>No name, no number: a subject that could not be read.</summary>
        public static HolderIdentity Empty { get; } = new HolderIdentity(null, null);

        public string? Name { get; }

        public string? PublicServiceNumber { get; }

        /// <summary>Reads the identity from a DER-encoded X.500 Name (the certificate's SubjectName.RawData).</summary>
        public static HolderIdentity FromSubject(byte[] subjectDer)
        {
            IReadOnlyList<KeyValuePair<string, string>> rdns = X500NameReader.Read(subjectDer);
            string? Get(string oid) => rdns.Where(p => p.Key == oid).Select(p => p.Value.Trim()).FirstOrDefault(v => v.Length > 0);

            string? cn = Get(CommonNameOid);
            string? serial = Get(SerialNumberOid);
            string? given = Get(GivenNameOid);
            string? surname = Get(SurnameOid);

            string? number = null;
            if (serial != null)
            {
                Match m = TrailingNumber.Match(serial);
                number = TenDigits.IsMatch(serial) ? serial : m.Success ? m.Groups["n"].Value : null;
            }

            string? cnName = cn;
            if (cn != null)
            {
                Match m = TrailingNumber.Match(cn);
                if (m.Success)
                {
                    number ??= m.Groups["n"].Value;
                    cnName = cn.Substring(0, m.Groups["n"].Index).TrimEnd(' ', ',', '-', '_', ';', '/');
                }
            }

            string? fromParts = given != null && surname != null ? $"{given} {surname}" : null;
            var candidates = new[] { fromParts, cnName, given ?? surname }.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => Collapse(c!)).ToList();
            string? name = candidates.FirstOrDefault(IsLatin) ?? candidates.FirstOrDefault();
            return new HolderIdentity(name, number);
        }

        private static string Collapse(string text) => Regex.Replace(text.Trim(), @"\s+", " ");

        private static bool IsLatin(string text) => text.All(c => c < 0x250);
    }

    /// <summary>A minimal DER reader for X.500 Names: SEQUENCE OF SET OF SEQUENCE { OID, string }.</summary>
    internal static class X500NameReader
    {
        public static IReadOnlyList<KeyValuePair<string, string>> Read(byte[] der)
        {
            var result = new List<KeyValuePair<string, string>>();
            int pos = 0;
            (int tag, int start, int length) name = ReadTlv(der, ref pos);
            if (name.tag != 0x30)
            {
                throw new FormatException("An X.500 name is a SEQUENCE.");
            }

            int end = name.start + name.length;
            int p = name.start;
            while (p < end)
            {
                (int tag, int start, int length) set = ReadTlv(der, ref p);
                int setEnd = set.start + set.length;
                int q = set.start;
                while (q < setEnd)
                {
                    (int tag, int start, int length) atv = ReadTlv(der, ref q);
                    int r = atv.start;
                    (int tag, int start, int length) oid = ReadTlv(der, ref r);
                    (int tag, int start, int length) value = ReadTlv(der, ref r);
                    result.Add(new KeyValuePair<string, string>(DecodeOid(der, oid.start, oid.length), DecodeString(der, value.tag, value.start, value.length)));
                }
            }

            return result;
        }

        private static (int tag, int start, int length) ReadTlv(byte[] der, ref int pos)
        {
            if (pos + 2 > der.Length)
            {
                throw new FormatException("Truncated DER.");
            }

            int tag = der[pos++];
            int length = der[pos++];
            if ((length & 0x80) != 0)
            {
                int count = length & 0x7F;
                if (count == 0 || count > 3 || pos + count > der.Length)
                {
                    throw new FormatException("Unsupported DER length.");
                }

                length = 0;
                for (int i = 0; i < count; i++)
                {
                    length = (length << 8) | der[pos++];
                }
            }

            if (pos + length > der.Length)
            {
                throw new FormatException("Truncated DER.");
            }

            int start = pos;
            pos += length;
            return (tag, start, length);
        }

        private static string DecodeOid(byte[] der, int start, int length)
        {
            var parts = new List<string>();
            long value = 0;
            bool first = true;
            for (int i = start; i < start + length; i++)
            {
                value = (value << 7) | (uint)(der[i] & 0x7F);
                if ((der[i] & 0x80) == 0)
                {
                    if (first)
                    {
                        long a = Math.Min(value / 40, 2);
                        parts.Add(a.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        parts.Add((value - (a * 40)).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        first = false;
                    }
                    else
                    {
                        parts.Add(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    value = 0;
                }
            }

            return string.Join(".", parts);
        }

        private static string DecodeString(byte[] der, int tag, int start, int length)
        {
            switch (tag)
            {
                case 0x1E: // BMPString
                    return Encoding.BigEndianUnicode.GetString(der, start, length);
                case 0x1C: // UniversalString
                    return new UTF32Encoding(true, false).GetString(der, start, length);
                case 0x14: // TeletexString: treated as Latin-1
                    return Encoding.GetEncoding("ISO-8859-1").GetString(der, start, length);
                default: // UTF8String, PrintableString, IA5String, NumericString
                    return Encoding.UTF8.GetString(der, start, length);
            }
        }
    }
}
