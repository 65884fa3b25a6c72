using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Finds the PKCS#11 library to use: an explicit path (the -Pkcs11Module parameter), else the environment
    /// variable <c>EKENG_PKCS11_MODULE</c>, else the card vendor's CryptoCard Suite library at its known places for
    /// the OS, else OpenSC's module (docs/ARCHITECTURE.md#card-and-token-facts).
    /// </summary>
    public sealed class Pkcs11ModuleLocator
    {
        public const string EnvironmentVariable = "EKENG_PKCS11_MODULE";

        private readonly Func<string, bool> _exists;
        private readonly Func<string, string?> _getEnvironment;
        private readonly OsPlatform _os;
        private readonly Architecture _architecture;
        private readonly Func<string, Architecture?> _readArchitecture;

        public Pkcs11ModuleLocator()
            : this(File.Exists, Environment.GetEnvironmentVariable, HostOs.Current, RuntimeInformation.ProcessArchitecture)
        {
        }

        internal Pkcs11ModuleLocator(Func<string, bool> exists, Func<string, string?> getEnvironment, OsPlatform os, Architecture architecture)
            : this(exists, getEnvironment, os, architecture, ModuleArchitecture.Read)
        {
        }

        /// <param name="exists">Whether a file exists.</param>
        /// <param name="getEnvironment">An environment variable's value.</param>
        /// <param name="os">The OS.</param>
        /// <param name="architecture">This process's architecture.</param>
        /// <param name="readArchitecture">The architecture of a library's code (its PE or ELF header), null when unknown.</param>
        internal Pkcs11ModuleLocator(Func<string, bool> exists, Func<string, string?> getEnvironment, OsPlatform os, Architecture architecture, Func<string, Architecture?> readArchitecture)
        {
            _exists = exists;
            _getEnvironment = getEnvironment;
            _os = os;
            _architecture = architecture;
            _readArchitecture = readArchitecture;
        }

        /// <summary>The name of the card's own middleware, the one that reads ARMID cards.</summary>
        public const string MiddlewareName = "CryptoCard Suite";

        /// <summary>Where to get <see cref="MiddlewareName"/>.</summary>
        public const string MiddlewareSource = "EKENG (https://www.ekeng.am, the ID card software) or the software that came with the card";

        /// <summary>The places searched when nothing is given, in order: CryptoCard Suite first, then OpenSC.</summary>
        public IReadOnlyList<string> Candidates()
        {
            var list = new List<string>(MiddlewareCandidates());
            if (_os == OsPlatform.Windows)
            {
                foreach (string programFiles in WindowsProgramFolders())
                {
                    list.Add(Path.Combine(programFiles, "OpenSC Project", "OpenSC", "pkcs11", "opensc-pkcs11.dll"));
                }

                string system = _getEnvironment("SystemRoot") ?? @"C:\Windows";
                list.Add(Path.Combine(system, "System32", "opensc-pkcs11.dll"));
            }
            else if (_os == OsPlatform.MacOS)
            {
                list.Add("/Library/OpenSC/lib/opensc-pkcs11.so");
                list.Add("/opt/homebrew/lib/opensc-pkcs11.so");
                list.Add("/usr/local/lib/opensc-pkcs11.so");
            }
            else
            {
                string multiarch = _architecture == Architecture.Arm64 ? "aarch64-linux-gnu"
                    : _architecture == Architecture.Arm ? "arm-linux-gnueabihf"
                    : _architecture == Architecture.X86 ? "i386-linux-gnu"
                    : "x86_64-linux-gnu";
                list.Add($"/usr/lib/{multiarch}/opensc-pkcs11.so");
                list.Add($"/usr/lib/{multiarch}/pkcs11/opensc-pkcs11.so");
                list.Add("/usr/lib64/opensc-pkcs11.so");
                list.Add("/usr/lib64/pkcs11/opensc-pkcs11.so");
                list.Add("/usr/lib/opensc-pkcs11.so");
                list.Add("/usr/lib/pkcs11/opensc-pkcs11.so");
                list.Add("/usr/local/lib/opensc-pkcs11.so");
            }

            return list;
        }

        /// <summary>The places of the card's own middleware (<see cref="MiddlewareName"/>) on this OS, in search order.</summary>
        public IReadOnlyList<string> MiddlewareCandidates()
        {
            if (_os == OsPlatform.Windows)
            {
                return WindowsProgramFolders().Select(folder => Path.Combine(folder, "CryptoTech", "CryptoCard", "CCPkiP11.dll")).ToList();
            }

            return _os == OsPlatform.MacOS
                ? new[] { "/Library/Security/tokend/CCSuite.tokend/Contents/Frameworks/libccpkip11.dylib" }
                : new[] { "/usr/lib/ccs/libccpkip11.so" };
        }

        /// <summary>
        /// Both program folders of Windows, the one of this process's bitness first. A 32-bit process on 64-bit Windows
        /// (Intune's default script host) sees %ProgramFiles% as "Program Files (x86)"; %ProgramW6432% names the 64-bit
        /// folder in every process, %ProgramFiles(x86)% the 32-bit one (absent on 32-bit Windows).
        /// </summary>
        private IReadOnlyList<string> WindowsProgramFolders()
        {
            string programFiles = _getEnvironment("ProgramFiles") ?? @"C:\Program Files";
            string native = NonEmpty(_getEnvironment("ProgramW6432")) ?? programFiles;
            string? x86 = NonEmpty(_getEnvironment("ProgramFiles(x86)"));
            bool is32BitProcess = _architecture == Architecture.X86 || _architecture == Architecture.Arm;
            var folders = new List<string>();
            foreach (string? folder in is32BitProcess ? new[] { x86 ?? programFiles, native } : new[] { native, x86 })
            {
                if (folder != null && !folders.Contains(folder, StringComparer.OrdinalIgnoreCase))
                {
                    folders.Add(folder);
                }
            }

            return folders;
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        /// <summary>Whether the library was named by the user: a path given (-Pkcs11Module) or the environment variable.</summary>
        public bool IsNamed(string? explicitPath) => !string.IsNullOrWhiteSpace(explicitPath) || !string.IsNullOrWhiteSpace(_getEnvironment(EnvironmentVariable));

        /// <summary>OpenSC's module (by its file name): it serves PC/SC cards of its drivers, and has none for ARMID cards.</summary>
        public static bool IsOpenSc(string module) => Path.GetFileName(module).IndexOf("opensc-pkcs11", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>
        /// What to tell a user whose ARMID card cannot be read for want of the card's middleware: its name, the places
        /// searched, the library found instead (if any), and where to get it.
        /// </summary>
        public string MiddlewareMissing(string cards, string? foundInstead)
        {
            string instead = foundInstead is null ? string.Empty : $"; {foundInstead} was found instead, and OpenSC has no driver for ARMID cards";
            return $"{cards} needs the card's middleware, {MiddlewareName}, for its PINs and certificates, and it is not installed (searched: {string.Join("; ", MiddlewareCandidates())}{instead}). "
                + $"Install {MiddlewareName} from {MiddlewareSource}, or name its library with -Pkcs11Module or the {EnvironmentVariable} environment variable.";
        }

        /// <summary>The module to use, or an error (Pkcs11ModuleNotFound) that names every path searched.</summary>
        public string Resolve(string? explicitPath)
        {
            string? found = TryResolve(explicitPath, out IReadOnlyList<string> searched, out string? source, forThisProcess: true);
            if (found != null)
            {
                return found;
            }

            throw NotFound(searched, source);
        }

        /// <summary>
        /// The library to register elsewhere (Firefox) when none is named: what <see cref="Resolve"/> finds for no
        /// -Pkcs11Module (so the library that reads the card), else the CryptoCard Suite library's first place on this
        /// OS, for the caller to report as missing.
        /// </summary>
        public string ResolveOrDefault()
        {
            return TryResolve(null, out IReadOnlyList<string> searched, out _, forThisProcess: false) ?? searched[0];
        }

        /// <summary>
        /// The module to use, or null when none of the known places has one. An explicit path or the environment
        /// variable that names a missing file is an error, not a quiet null: the user asked for that file.
        /// </summary>
        public string? TryResolve(string? explicitPath, out IReadOnlyList<string> searched)
        {
            string? found = TryResolve(explicitPath, out searched, out string? source, forThisProcess: true);
            if (found is null && source != null)
            {
                throw NotFound(searched, source);
            }

            return found;
        }

        /// <param name="forThisProcess">
        /// True when this process loads the library: a found library of another bitness is skipped, and when the only
        /// ones found are of another bitness, Pkcs11ModuleArchitectureMismatch says which and what to do. False for a
        /// library registered in another program (Firefox), whose own bitness counts.
        /// </param>
        private string? TryResolve(string? explicitPath, out IReadOnlyList<string> searched, out string? source, bool forThisProcess)
        {
            if (!string.IsNullOrWhiteSpace(explicitPath))
            {
                searched = new[] { explicitPath! };
                source = "-Pkcs11Module";
                return _exists(explicitPath!) ? Path.GetFullPath(explicitPath!) : null;
            }

            string? fromEnvironment = _getEnvironment(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                searched = new[] { fromEnvironment! };
                source = EnvironmentVariable;
                return _exists(fromEnvironment!) ? Path.GetFullPath(fromEnvironment!) : null;
            }

            source = null;
            IReadOnlyList<string> candidates = Candidates();
            searched = candidates;
            if (!forThisProcess)
            {
                return candidates.FirstOrDefault(_exists);
            }

            // The card's middleware first: when it is installed for the other bitness only, that is the answer to give,
            // not OpenSC (which has no driver for ARMID cards).
            IReadOnlyList<string> middleware = MiddlewareCandidates();
            string? found = FirstLoadable(middleware, out string? otherBitness, out Architecture? otherArchitecture)
                ?? (otherBitness is null ? FirstLoadable(candidates.Skip(middleware.Count), out otherBitness, out otherArchitecture) : null);
            if (found is null && otherBitness != null)
            {
                throw BitnessMismatch(otherBitness, otherArchitecture!.Value, middleware.Contains(otherBitness) ? MiddlewareName : "OpenSC");
            }

            return found;
        }

        private string? FirstLoadable(IEnumerable<string> candidates, out string? otherBitness, out Architecture? otherArchitecture)
        {
            otherBitness = null;
            otherArchitecture = null;
            foreach (string candidate in candidates)
            {
                if (!_exists(candidate))
                {
                    continue;
                }

                Architecture? library = _readArchitecture(candidate);
                if (library is null || library == _architecture)
                {
                    return candidate;
                }

                if (otherBitness is null)
                {
                    otherBitness = candidate;
                    otherArchitecture = library;
                }
            }

            return null;
        }

        private static string Bits(Architecture architecture) =>
            architecture == Architecture.X86 || architecture == Architecture.Arm ? "32-bit" : "64-bit";

        /// <summary>The middleware is installed, but only for an architecture this process cannot load.</summary>
        private EkengException BitnessMismatch(string path, Architecture library, string what)
        {
            string message = $"{what} is installed as a {Bits(library)} {library} library ('{path}'), and this PowerShell is a {Bits(_architecture)} {_architecture} process, which cannot load it.";
            string action = Bits(library) == "64-bit"
                ? "Run the script in a 64-bit PowerShell host: in Intune set 'Run script in 64-bit PowerShell host' to Yes; elsewhere start %SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe or 64-bit pwsh.exe, not the one under SysWOW64 or 'Program Files (x86)'."
                : $"Run the script in a {Bits(library)} PowerShell host, or install the {Bits(_architecture)} build of {what}.";
            return new EkengException(TokenErrors.Pkcs11ModuleArchitectureMismatch, message + " " + action)
            {
                RecommendedAction = action,
                TargetObject = path,
            };
        }

        private static EkengException NotFound(IReadOnlyList<string> searched, string? source)
        {
            string message = source is null
                ? $"No PKCS#11 module was found. Searched: {string.Join("; ", searched)}."
                : $"The PKCS#11 module given by {source} does not exist: {string.Join("; ", searched)}.";
            return new EkengException(TokenErrors.Pkcs11ModuleNotFound, message)
            {
                TargetObject = searched.Count == 1 ? searched[0] : null,
            };
        }
    }
}
