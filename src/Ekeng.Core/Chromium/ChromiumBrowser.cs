namespace Ekeng.Chromium
{
    /// <summary>The Chromium-family browsers whose policies the module writes.</summary>
    public enum ChromiumBrowser
    {
        Chromium,
        Chrome,
        Edge,
    }
}
