using System.Text.RegularExpressions;

namespace Ekeng.Certificates
{
    /// <summary>
    /// The holder's Latin name and public service number (ՀԾՀ) from a certificate subject. The exact ARMID subject
    /// layout is not public, so every known form is read (docs/ARCHITECTURE.md#card-and-token-facts): SERIALNUMBER (2.5.4.5) with the 10 digits
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
}
