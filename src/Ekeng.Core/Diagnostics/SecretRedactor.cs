using Ekeng.Security;

namespace Ekeng.Diagnostics
{
    /// <summary>
    /// A last line of defence for log bridges: a message that contains the value of a known secret has each
    /// occurrence replaced by <c>***</c> before it is written anywhere. Services never log secrets on purpose;
    /// this catches the mistake. Secrets shorter than <see cref="MinimumLength"/> are not matched (they would
    /// blank out ordinary digits).
    /// </summary>
    public sealed class SecretRedactor
    {
        public const int MinimumLength = 4;
        public const string Mask = "***";
        private readonly List<SecureString> _secrets = new List<SecureString>();

        public void Add(SecureString? secret)
        {
            if (secret != null && secret.Length >= MinimumLength && !_secrets.Contains(secret))
            {
                _secrets.Add(secret);
            }
        }

        public string Redact(string message)
        {
            if (_secrets.Count == 0 || string.IsNullOrEmpty(message))
            {
                return message;
            }

            string result = message;
            foreach (SecureString secret in _secrets)
            {
                try
                {
                    result = secret.UseChars(chars => ReplaceAll(result, chars));
                }
                catch (ObjectDisposedException)
                {
                    // A prompted secret already disposed by its command: nothing of it can be logged any more.
                }
            }

            return result;
        }

        private static string ReplaceAll(string text, char[] secret)
        {
            StringBuilder? sb = null;
            int start = 0;
            for (int i = 0; i + secret.Length <= text.Length;)
            {
                if (Matches(text, i, secret))
                {
                    sb ??= new StringBuilder(text.Length);
                    sb.Append(text, start, i - start).Append(Mask);
                    i += secret.Length;
                    start = i;
                }
                else
                {
                    i++;
                }
            }

            if (sb is null)
            {
                return text;
            }

            sb.Append(text, start, text.Length - start);
            return sb.ToString();
        }

        private static bool Matches(string text, int at, char[] secret)
        {
            for (int j = 0; j < secret.Length; j++)
            {
                if (text[at + j] != secret[j])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
