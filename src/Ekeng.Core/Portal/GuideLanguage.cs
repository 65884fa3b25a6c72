namespace Ekeng.Portal
{
    /// <summary>The languages of the guide text: Armenian and English.</summary>
    public enum GuideLanguage
    {
        En,
        Hy,
    }
}
