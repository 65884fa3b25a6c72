using Ekeng.PcSc;

namespace Ekeng.Cards
{
    /// <summary>An ATR value with a mask of the bits that count.</summary>
    internal sealed class AtrPattern
    {
        private readonly byte[] _value;
        private readonly byte[] _mask;

        private AtrPattern(byte[] value, byte[] mask)
        {
            _value = value;
            _mask = mask;
        }

        public static AtrPattern Parse(string text) => TryParse(text) ?? throw new FormatException($"'{text}' is not an ATR pattern (hex value, optionally /hex mask of the same length).");

        public static AtrPattern? TryParse(string text)
        {
            try
            {
                string[] parts = text.Split('/');
                byte[] value = Hex.Parse(parts[0]);
                byte[] mask = parts.Length > 1 ? Hex.Parse(parts[1]) : Full(value.Length);
                return parts.Length <= 2 && value.Length > 0 && mask.Length == value.Length ? new AtrPattern(value, mask) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        public bool Matches(byte[] atr)
        {
            if (atr.Length != _value.Length)
            {
                return false;
            }

            for (int i = 0; i < atr.Length; i++)
            {
                if ((atr[i] & _mask[i]) != (_value[i] & _mask[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] Full(int length)
        {
            var mask = new byte[length];
            for (int i = 0; i < length; i++)
            {
                mask[i] = 0xFF;
            }

            return mask;
        }
    }
}
