using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Registers, finds and removes a PKCS#11 module in Firefox/Thunderbird profiles (pkcs11.txt) and in the
    /// SecurityDevices enterprise policy (policies.json, Windows registry). Knows nothing of PowerShell.
    /// </summary>
    public sealed class CryptoModuleService
    {
        private readonly ILogger _logger;
        private readonly ProfileLockDetector _locks;

        public CryptoModuleService(MozillaEnvironment environment, ILogger? logger = null, IProcessProbe? probe = null)
        {
            Environment = environment;
            _logger = logger ?? NullLogger.Instance;
            _locks = new ProfileLockDetector(environment.Platform, probe);
            Paths = new LibraryPaths(environment);
            Profiles = new ProfileLocator(environment, _logger);
            Installs = new MozillaInstallLocator(environment);
        }

        public MozillaEnvironment Environment { get; }

        public LibraryPaths Paths { get; }

        public ProfileLocator Profiles { get; }

        public MozillaInstallLocator Installs { get; }

        /// <summary>
        /// True while many profiles are written at once (the command's parallel run): their pkcs11.txt files are made
        /// durable by a shared syncfs per filesystem (<see cref="GroupSync"/>, Linux) instead of two fsyncs each; each file
        /// is still on disk before its rename. False (the default, and always off Linux): every write fsyncs its file and
        /// its folder itself.
        /// </summary>
        public bool GroupCommit
        {
            get => _groupSync != null;
            set => _groupSync = value && GroupSync.Supported ? (_groupSync ?? new GroupSync()) : null;
        }

        /// <summary>The group the profile writes join, or null (each fsyncs itself).</summary>
        internal GroupSync? ProfileWrites => _groupSync;

        private GroupSync? _groupSync;

        // ---- checks before writing ----

        /// <summary>
        /// The library must exist, and its CPU must be one the application's installations can load (a 32-bit DLL in
        /// a 64-bit Firefox is the peers' top failure). With <paramref name="force"/> both become warnings.
        /// </summary>
        public void CheckLibrary(string library, IEnumerable<MozillaApplication> applications, bool force)
        {
            string expanded = Paths.Normalize(library);
            if (!Environment.FileExists(expanded))
            {
                var error = new EkengException(BrowserErrors.ModuleLibraryNotFound, $"The PKCS#11 library '{library}' does not exist.")
                {
                    TargetObject = library,
                };
                if (!force)
                {
                    throw error;
                }

                _logger.LogWarning("{Message} -Force: registered anyway.", error.Message);
                return;
            }

            BinaryMachine? machine;
            try
            {
                machine = BinaryMachine.Read(expanded);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is EkengException)
            {
                _logger.LogWarning("Cannot read '{Library}' to check its CPU type: {Reason}", library, e.Message);
                return;
            }

            if (machine is null)
            {
                _logger.LogWarning("'{Library}' is not a library this module recognises (PE, ELF, Mach-O); its CPU type was not checked.", library);
                return;
            }

            var builds = new List<(MozillaInstall Install, BinaryMachine Machine)>();
            // Chromium's builds are not located here: its NSS database loads the library in whatever browser opens it.
            foreach (MozillaApplication application in applications.Distinct().Where(a => a != MozillaApplication.Chromium))
            {
                foreach (MozillaInstall install in Installs.Find(application))
                {
                    if (install.MachineBinary is null)
                    {
                        continue;
                    }

                    try
                    {
                        BinaryMachine? build = BinaryMachine.Read(install.MachineBinary);
                        if (build != null)
                        {
                            builds.Add((install, build));
                        }
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is EkengException)
                    {
                        _logger.LogDebug("Cannot read {Binary}: {Reason}", install.MachineBinary, e.Message);
                    }
                }
            }

            if (builds.Count == 0)
            {
                _logger.LogInformation("No installation found to compare '{Library}' ({Machine}) with.", library, machine);
                return;
            }

            if (builds.Any(b => b.Machine.Equals(machine)))
            {
                _logger.LogInformation("'{Library}' is {Machine}, as {Install}.", library, machine, string.Join(", ", builds.Where(b => b.Machine.Equals(machine)).Select(b => b.Install.Directory)));
                return;
            }

            var mismatch = new EkengException(BrowserErrors.ModuleArchitectureMismatch, $"The PKCS#11 library '{library}' is {machine}, but {string.Join(", ", builds.Select(b => $"{b.Install.Directory} is {b.Machine}"))}: Firefox cannot load it.")
            {
                TargetObject = library,
            };
            if (!force)
            {
                throw mismatch;
            }

            _logger.LogWarning("{Message} -Force: registered anyway.", mismatch.Message);
        }

        /// <summary>A warning for a snap or flatpak Firefox, which runs sandboxed and usually cannot load a host library; null otherwise.</summary>
        public static string? SandboxWarning(MozillaProfile profile, string library)
        {
            switch (profile.Packaging)
            {
                case MozillaPackaging.Snap:
                    return $"Profile '{profile.Name}' belongs to the snap {profile.Application}: it runs confined and usually cannot load '{library}' from the host. The entry is written; if the device does not appear, install {profile.Application} from a .deb/.rpm package (or use the snap's p11-kit support).";
                case MozillaPackaging.Flatpak:
                    return $"Profile '{profile.Name}' belongs to the flatpak {profile.Application}: its sandbox usually cannot load '{library}' from the host. The entry is written; if the device does not appear, grant the sandbox that path (flatpak override --filesystem) or use a native {profile.Application}.";
                default:
                    return null;
            }
        }

        internal ILogger Logger => _logger;

        internal ProfileLockDetector Locks => _locks;

        public string Pkcs11TxtPath(MozillaProfile profile) => Path.Combine(profile.Path, "pkcs11.txt");

        /// <summary>The policies.json files of the application on this machine (see <see cref="MozillaInstallLocator.ResolvePolicyFiles"/>).</summary>
        public IReadOnlyList<string> GetPolicyFiles(MozillaApplication application)
        {
            IReadOnlyList<MozillaInstall> installs = Installs.Find(application);
            foreach (MozillaInstall install in installs)
            {
                _logger.LogDebug("{Application} installation: {Directory} ({Packaging}).", application, install.Directory, install.Packaging);
            }

            return MozillaInstallLocator.ResolvePolicyFiles(Installs.SystemPolicyFile(application), installs, Environment.FileExists);
        }

        /// <summary>A profile's pkcs11.txt as a target.</summary>
        public ICryptoModuleTarget ForProfile(MozillaProfile profile) => new ProfileModuleTarget(this, profile);

        /// <summary>A policies.json as a target.</summary>
        public ICryptoModuleTarget ForPolicyFile(MozillaApplication application, string file) => new PolicyFileModuleTarget(this, application, file);

        /// <summary>A registry hive's Firefox (or Thunderbird) policy as a target.</summary>
        public ICryptoModuleTarget ForRegistry(MozillaApplication application, IRegistryPolicyStore store) => new RegistryPolicyModuleTarget(this, application, store);
    }
}
