using System.Text.RegularExpressions;
using Ekeng.PcSc;

namespace Ekeng.Signing
{
    /// <summary>Reads what a PDF says about one of its signatures: its time (/M), its field name (/T), its /Contents bytes.</summary>
    internal static class PdfSignatureSyntax
    {
        private static readonly Regex PdfTime = new Regex(@"/M\s*\(D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?'?\)", RegexOptions.CultureInvariant);

        /// <summary>The /M time of a signature dictionary (D:YYYYMMDDHHmmSS with its offset) in UTC, or null.</summary>
        internal static DateTime? ParsePdfTime(string dictionary)
        {
            Match m = PdfTime.Match(dictionary);
            if (!m.Success)
            {
                return null;
            }

            int Part(int group, int fallback) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : fallback;
            try
            {
                var local = new DateTime(Part(1, 1), Part(2, 1), Part(3, 1), Part(4, 0), Part(5, 0), Part(6, 0), DateTimeKind.Utc);
                string sign = m.Groups[7].Success ? m.Groups[7].Value : "Z";
                var offset = new TimeSpan(Part(8, 0), Part(9, 0), 0);
                return sign == "+" ? local - offset : sign == "-" ? local + offset : local;
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        /// <summary>The /T name of the form field whose /V is the signature object, or null.</summary>
        internal static string? FieldNameOf(string text, string signatureObject)
        {
            Match header = Regex.Match(signatureObject, @"^(\d+)\s+(\d+)\s+obj");
            if (!header.Success)
            {
                return null;
            }

            Match v = Regex.Match(text, $@"/V\s+{header.Groups[1].Value}\s+{header.Groups[2].Value}\s+R\b");
            if (!v.Success)
            {
                return null;
            }

            int start = text.LastIndexOf(" obj", v.Index, StringComparison.Ordinal);
            int end = text.IndexOf("endobj", v.Index, StringComparison.Ordinal);
            if (start < 0 || end < 0)
            {
                return null;
            }

            Match t = Regex.Match(text.Substring(start, end - start), @"/T\s*(\((?<lit>[^)]*)\)|<(?<hex>[0-9A-Fa-f\s]*)>)");
            if (!t.Success)
            {
                return null;
            }

            if (t.Groups["lit"].Success)
            {
                return t.Groups["lit"].Value;
            }

            byte[] bytes = FromHex(t.Groups["hex"].Value);
            return bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF ? Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2) : Encoding.GetEncoding("ISO-8859-1").GetString(bytes);
        }

        /// <summary>A PDF hex string's bytes: white space ignored, an odd last digit completed with 0 (ISO 32000-1, 7.3.4.3).</summary>
        internal static byte[] FromHex(string hex)
        {
            hex = Regex.Replace(hex, @"\s", string.Empty);
            return Hex.Parse(hex.Length % 2 == 1 ? hex + "0" : hex);
        }

        /// <summary>The DER element at the start of <paramref name="padded"/> (a /Contents string is padded with zeros).</summary>
        internal static byte[] TrimDer(byte[] padded)
        {
            if (padded.Length < 2 || padded[0] != 0x30)
            {
                return padded;
            }

            int lengthByte = padded[1];
            long length;
            int header;
            if (lengthByte < 0x80)
            {
                length = lengthByte;
                header = 2;
            }
            else
            {
                int count = lengthByte & 0x7F;
                if (count == 0 || count > 4 || padded.Length < 2 + count)
                {
                    return padded;
                }

                length = 0;
                for (int i = 0; i < count; i++)
                {
                    length = (length << 8) | padded[2 + i];
                }

                header = 2 + count;
            }

            long total = header + length;
            return total <= padded.Length ? padded.Take((int)total).ToArray() : padded;
        }
    }
}
