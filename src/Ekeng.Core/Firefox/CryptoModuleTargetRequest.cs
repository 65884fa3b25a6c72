namespace Ekeng.Firefox
{
    /// <summary>What a command asks for: the scope, the applications, and the places named (paths already absolute).</summary>
    public sealed class CryptoModuleTargetRequest
    {
        public CryptoModuleScope Scope { get; set; } = CryptoModuleScope.Profile;

        public IReadOnlyList<MozillaApplication> Applications { get; set; } = new[] { MozillaApplication.Firefox };

        /// <summary>Profile folders instead of the profiles listed in profiles.ini.</summary>
        public IReadOnlyList<string>? ProfilePaths { get; set; }

        /// <summary>policies.json files instead of the ones found.</summary>
        public IReadOnlyList<string>? PolicyPaths { get; set; }

        /// <summary>Windows: the registry hive of the policy.</summary>
        public RegistryPolicyHive RegistryHive { get; set; } = RegistryPolicyHive.LocalMachine;

        /// <summary>The hive was named by the user (an error off Windows).</summary>
        public bool RegistryHiveGiven { get; set; }
    }
}
