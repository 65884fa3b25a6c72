namespace Ekeng.Firefox
{
    /// <summary>One profile listed in a profiles.ini (or given by path).</summary>
    public sealed class MozillaProfile
    {
        public MozillaProfile(MozillaApplication application, string name, string path, string? profilesIniPath, MozillaPackaging packaging, bool isDefault)
        {
            Application = application;
            Name = name;
            Path = path;
            ProfilesIniPath = profilesIniPath;
            Packaging = packaging;
            IsDefault = isDefault;
        }

        public MozillaApplication Application { get; }

        public string Name { get; }

        /// <summary>The profile folder, absolute.</summary>
        public string Path { get; }

        /// <summary>The profiles.ini that lists it; null for a profile given by path.</summary>
        public string? ProfilesIniPath { get; }

        public MozillaPackaging Packaging { get; }

        public bool IsDefault { get; }

        public override string ToString() => $"{Name} ({Path})";
    }
}
