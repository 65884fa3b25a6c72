using System.Text;

namespace Ekeng.Tls
{
    /// <summary>
    /// RFC 7512 PKCS#11 URIs for libp11: <c>pkcs11:token=ARMID%20(AuthPIN);serial=0123abcd;id=%01;type=private</c>.
    /// Every ARMID card's token has the same label: the serial names the card. Never a PIN.
    /// </summary>
    internal static class Pkcs11Uri
    {
        public static string PrivateKey(string tokenLabel, string? tokenSerial, byte[] id)
        {
            var uri = new StringBuilder("pkcs11:token=");
            AppendValue(uri, tokenLabel);
            if (!string.IsNullOrEmpty(tokenSerial))
            {
                uri.Append(";serial=");
                AppendValue(uri, tokenSerial!);
            }

            if (id.Length > 0)
            {
                uri.Append(";id=");
                foreach (byte b in id)
                {
                    uri.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            return uri.Append(";type=private").ToString();
        }

        /// <summary>An attribute value, percent-encoded but for RFC 3986's unreserved characters and the label's parentheses.</summary>
        private static void AppendValue(StringBuilder uri, string value)
        {
            foreach (byte b in Encoding.UTF8.GetBytes(value))
            {
                char c = (char)b;
                bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' || c == '(' || c == ')';
                if (unreserved)
                {
                    uri.Append(c);
                }
                else
                {
                    uri.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
    }
}
