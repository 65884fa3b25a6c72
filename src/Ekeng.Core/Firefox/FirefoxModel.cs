using System;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>The Mozilla applications whose NSS profiles can carry a PKCS#11 module.</summary>
    public enum MozillaApplication
    {
        Firefox,
        Thunderbird,
    }

    /// <summary>Where a module is registered: in each profile's pkcs11.txt, or machine-wide by enterprise policy.</summary>
    public enum CryptoModuleScope
    {
        Profile,
        Policy,
    }

    /// <summary>What happened to (or was found in) one target.</summary>
    public enum CryptoModuleStatus
    {
        /// <summary>Get: the module is registered there.</summary>
        Present,
        /// <summary>Set: the module was added.</summary>
        Added,
        /// <summary>Set: the library was already registered (maybe under another name); nothing was written.</summary>
        AlreadyPresent,
        /// <summary>Set: an entry of that name pointed at another library, or the policy also deleted it; it was corrected.</summary>
        Updated,
        /// <summary>Remove: the module was removed.</summary>
        Removed,
        /// <summary>Remove/Test: the module is not registered there; nothing was written.</summary>
        NotPresent,
        /// <summary>The target was left alone (Firefox running on it, a corrupt file): see the error record.</summary>
        Skipped,
    }

    /// <summary>How the application is packaged for the profile root it came from.</summary>
    public enum MozillaPackaging
    {
        Native,
        Snap,
        Flatpak,
    }

    /// <summary>One PKCS#11 module in one profile or policy: the object the Firefox cmdlets write to the pipeline.</summary>
    public sealed class FirefoxCryptoModule
    {
        public MozillaApplication Application { get; set; }

        public CryptoModuleScope Scope { get; set; }

        /// <summary>The profile's name in profiles.ini (the folder name for -ProfilePath outside profiles.ini).</summary>
        public string? ProfileName { get; set; }

        /// <summary>The profile folder (Profile scope).</summary>
        public string? ProfilePath { get; set; }

        /// <summary>The policies.json file (Policy scope, file-based).</summary>
        public string? PolicyPath { get; set; }

        /// <summary>The registry key (Policy scope on Windows), e.g. HKLM\Software\Policies\Mozilla\Firefox\SecurityDevices\Add.</summary>
        public string? RegistryKey { get; set; }

        /// <summary>The security device name, as Firefox shows it under Settings, Security Devices.</summary>
        public string? Name { get; set; }

        /// <summary>The PKCS#11 library path.</summary>
        public string? Library { get; set; }

        public CryptoModuleStatus Status { get; set; }

        /// <summary>A short explanation of the status (the other name the library was found under, why a target was skipped).</summary>
        public string? Message { get; set; }

        /// <summary>The profile folder, policy file or registry key: what the table view shows.</summary>
        public string? Target => ProfilePath ?? PolicyPath ?? RegistryKey;

        public override string ToString() => $"{Name} ({Library}) {Status} @ {Target}";
    }

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

    /// <summary>The module to register: a device name and a library path.</summary>
    public sealed class CryptoModuleSpec
    {
        /// <summary>The device name used when none is given: it names the card's middleware, the tokens are named by the card.</summary>
        public const string DefaultName = "ARMID (CryptoCard)";

        public CryptoModuleSpec(string name, string library)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("The module name is empty.", nameof(name));
            }

            if (string.IsNullOrWhiteSpace(library))
            {
                throw new ArgumentException("The library path is empty.", nameof(library));
            }

            Name = name;
            Library = library;
        }

        public string Name { get; }

        public string Library { get; }
    }

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
