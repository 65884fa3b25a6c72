namespace Ekeng.Firefox
{
    /// <summary>A folder that can hold a profiles.ini, with the packaging it belongs to.</summary>
    public sealed class ProfileRoot
    {
        public ProfileRoot(MozillaApplication application, string path, MozillaPackaging packaging)
        {
            Application = application;
            Path = path;
            Packaging = packaging;
        }

        public MozillaApplication Application { get; }
        public string Path { get; }
        public MozillaPackaging Packaging { get; }

        public override string ToString() => Path;
    }
}
