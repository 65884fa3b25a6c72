namespace Ekeng.PcSc
{
    /// <summary>
    /// The one hex helper: ATRs, APDUs, certificate ids, PDF hex strings (Ekeng.Core), and the virtual card of the PC/SC
    /// rig (tests/rigs/VirtualCard compiles this file too).
    /// </summary>
    public static class Hex
    {
        /// <summary>Upper-case hex without separators.</summary>
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

        /// <summary>Parses "3B:DC:18", "3B DC 18", "3b-dc-18", "3BDC18" or "0x3BDC18" (separators: space, tab, colon, dash).</summary>
        public static byte[] Parse(string text)
        {
            string trimmed = text.Trim();
            if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed.Substring(2);
            }

            var clean = new System.Text.StringBuilder(trimmed.Length);
            foreach (char c in trimmed)
            {
                if (c == ' ' || c == '\t' || c == ':' || c == '-')
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
