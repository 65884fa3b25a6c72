namespace Ekeng.Firefox
{
    /// <summary>One [ProfileN] section of a profiles.ini.</summary>
    public sealed class ProfilesIniEntry
    {
        public ProfilesIniEntry(string section, string? name, string? path, bool isRelative, bool isDefault, int line)
        {
            Section = section;
            Name = name;
            Path = path;
            IsRelative = isRelative;
            IsDefault = isDefault;
            Line = line;
        }

        public string Section { get; }
        public string? Name { get; }
        public string? Path { get; }
        public bool IsRelative { get; }
        public bool IsDefault { get; }

        /// <summary>The 1-based line of the section header.</summary>
        public int Line { get; }
    }
}
