namespace Ekeng.PcSc
{
    /// <summary>An R-APDU: response data and the status word SW1 SW2.</summary>
    public sealed class ResponseApdu
    {
        public ResponseApdu(byte[] data, byte sw1, byte sw2)
        {
            Data = data ?? throw new ArgumentNullException(nameof(data));
            SW1 = sw1;
            SW2 = sw2;
        }

        public byte[] Data { get; }
        public byte SW1 { get; }
        public byte SW2 { get; }
        public ushort StatusWord => (ushort)((SW1 << 8) | SW2);
        public bool IsSuccess => SW1 == 0x90 && SW2 == 0x00;

        /// <summary>Splits raw response bytes (data followed by SW1 SW2).</summary>
        public static ResponseApdu Parse(byte[] raw, int length)
        {
            if (length < 2)
            {
                throw new PcScException(PcScErrors.MalformedResponse, 0, $"The card answered with {length} byte(s); a response needs at least the two status bytes.");
            }

            var data = new byte[length - 2];
            Array.Copy(raw, data, data.Length);
            return new ResponseApdu(data, raw[length - 2], raw[length - 1]);
        }

        public override string ToString() => $"{Hex.Format(Data)} {StatusWord:X4}".TrimStart();
    }
}
