using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>
    /// The machine as the Firefox services see it: OS, home and configuration folders, environment variables and
    /// file existence. Tests give another one to exercise other OSes' roots.
    /// </summary>
    public class MozillaEnvironment
    {
        public MozillaEnvironment(OsPlatform platform, string homeDirectory)
        {
            Platform = platform;
            HomeDirectory = homeDirectory;
        }

        public OsPlatform Platform { get; }

        public string HomeDirectory { get; }

        /// <summary>This machine, with HOME (or the user profile folder) as home.</summary>
        public static MozillaEnvironment Current()
        {
            OsPlatform platform = HostOs.Current;
            string? home = platform == OsPlatform.Windows ? Environment.GetEnvironmentVariable("USERPROFILE") : Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            return new MozillaEnvironment(platform, home!);
        }

        public virtual string? GetVariable(string name)
        {
            string? value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        public virtual bool FileExists(string path) => System.IO.File.Exists(path);

        public virtual bool DirectoryExists(string path) => System.IO.Directory.Exists(path);

        /// <summary>Paths compare without case on Windows and macOS (their default file systems), with case elsewhere.</summary>
        public StringComparison PathComparison => Platform == OsPlatform.Linux ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
    }
}
