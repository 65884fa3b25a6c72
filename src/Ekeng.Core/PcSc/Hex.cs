using System;

namespace Ekeng.PcSc
{
    /// <summary>Hex helpers used for ATRs and APDUs.</summary>
    public static class Hex
    {
        public static string Format(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            const string digits = "0123456789ABCDEF";
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }

        /// <summary>Parses hex with optional separators (space, colon, dash).</summary>
        public static byte[] Parse(string text)
        {
            var clean = new System.Text.StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (c == ' ' || c == ':' || c == '-')
                {
                    continue;
                }

                if (!Uri.IsHexDigit(c))
                {
                    throw new FormatException($"'{c}' is not a hexadecimal digit.");
                }

                clean.Append(c);
            }

            if (clean.Length % 2 != 0)
            {
                throw new FormatException("Hexadecimal text must have an even number of digits.");
            }

            var bytes = new byte[clean.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = Convert.ToByte(clean.ToString(2 * i, 2), 16);
            }

            return bytes;
        }
    }
}
