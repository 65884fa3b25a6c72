namespace Ekeng.Firefox
{
    /// <summary>How the application is packaged for the profile root it came from.</summary>
    public enum MozillaPackaging
    {
        Native,
        Snap,
        Flatpak,
    }
}
