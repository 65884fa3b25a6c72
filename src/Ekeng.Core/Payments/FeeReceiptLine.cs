namespace Ekeng.Payments
{
    /// <summary>One line of a receipt: the label in Armenian and in English, and the value.</summary>
    public sealed class FeeReceiptLine
    {
        public FeeReceiptLine(string armenianLabel, string englishLabel, string value)
        {
            ArmenianLabel = armenianLabel;
            EnglishLabel = englishLabel;
            Value = value;
        }

        public string ArmenianLabel { get; }

        public string EnglishLabel { get; }

        public string Value { get; }

        public override string ToString() => $"{ArmenianLabel} / {EnglishLabel}: {Value}";
    }
}
