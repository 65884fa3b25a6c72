namespace Ekeng.Cards
{
    /// <summary>
    /// Recognises the ARMID card by its ATR. The production card's exact ATR is not published; the patterns
    /// below are the CryptoTech-profile ATR family the project knows, each a value and a mask (a bit of the
    /// ATR counts where the mask bit is 1). More patterns can be added at run time with the environment
    /// variable <c>EKENG_ARMID_ATR</c>: a semicolon-separated list of <c>value[/mask]</c> in hexadecimal.
    /// </summary>
    public static class ArmidAtr
    {
        public const string EnvironmentVariable = "EKENG_ARMID_ATR";

        private static readonly AtrPattern[] BuiltIn =
        {
            // ARMID-like profile: T=1 card whose historical bytes carry the CryptoTech card-capabilities prefix.
            // The last byte (TCK) depends on the rest and is masked out.
            AtrPattern.Parse("3BDC18FF8191FE1FC38073C821136605036351000250/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00"),
        };

        /// <summary>True when <paramref name="atr"/> matches a built-in pattern or one from the environment.</summary>
        public static bool Matches(byte[] atr)
        {
            foreach (AtrPattern pattern in Patterns())
            {
                if (pattern.Matches(atr))
                {
                    return true;
                }
            }

            return false;
        }

        internal static IEnumerable<AtrPattern> Patterns()
        {
            foreach (AtrPattern p in BuiltIn)
            {
                yield return p;
            }

            string? extra = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(extra))
            {
                yield break;
            }

            foreach (string item in extra!.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                AtrPattern? parsed = AtrPattern.TryParse(item.Trim());
                if (parsed != null)
                {
                    yield return parsed;
                }
            }
        }
    }
}
