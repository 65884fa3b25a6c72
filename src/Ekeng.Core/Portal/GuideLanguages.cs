namespace Ekeng.Portal
{
    /// <summary>Picks the guide's language.</summary>
    public static class GuideLanguages
    {
        /// <summary>Armenian for an Armenian UI culture (hy, hy-AM), English for any other.</summary>
        public static GuideLanguage FromCulture(CultureInfo? culture)
        {
            return culture != null && string.Equals(culture.TwoLetterISOLanguageName, "hy", StringComparison.OrdinalIgnoreCase)
                ? GuideLanguage.Hy
                : GuideLanguage.En;
        }
    }
}
