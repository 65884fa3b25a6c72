namespace Ekeng.Firefox
{
    /// <summary>One PKCS#11 module in one profile or policy: the object the Firefox cmdlets write to the pipeline.</summary>
    public sealed class FirefoxCryptoModule
    {
        public MozillaApplication Application { get; set; }

        public CryptoModuleScope Scope { get; set; }

        /// <summary>The profile's name in profiles.ini (the folder name for -ProfilePath outside profiles.ini): the Profile column.</summary>
        public string? Profile { get; set; }

        /// <summary>The same as <see cref="Profile"/>, under its former name (scripts written before 0.1 used it).</summary>
        public string? ProfileName => Profile;

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
}
