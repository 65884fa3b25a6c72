using System.Text;

namespace Ekeng.Tls
{
    /// <summary>RFC 7512 PKCS#11 URIs for libp11: <c>pkcs11:token=ARMID%20(AuthPIN);id=%01;type=private</c>. Never a PIN.</summary>
    internal static class Pkcs11Uri
    {
        public static string PrivateKey(string tokenLabel, byte[] id)
        {
            var uri = new StringBuilder("pkcs11:token=");
            foreach (byte b in Encoding.UTF8.GetBytes(tokenLabel))
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
    }
}
