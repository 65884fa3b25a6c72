namespace Ekeng.Platform
{
    /// <summary>The operating systems whose conventions (paths, libraries, PC/SC, libc) the services know.</summary>
    public enum OsPlatform
    {
        Linux,
        MacOS,
        Windows,
    }
}
