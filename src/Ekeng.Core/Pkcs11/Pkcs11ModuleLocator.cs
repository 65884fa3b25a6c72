using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Finds the PKCS#11 library to use: an explicit path (the -Pkcs11Module parameter), else the environment
    /// variable <c>EKENG_PKCS11_MODULE</c>, else the card vendor's CryptoCard Suite library at its known places for
    /// the OS, else OpenSC's module (DESIGN.md §3).
    /// </summary>
    public sealed class Pkcs11ModuleLocator
    {
        public const string EnvironmentVariable = "EKENG_PKCS11_MODULE";

        private readonly Func<string, bool> _exists;
        private readonly Func<string, string?> _getEnvironment;
        private readonly OsPlatform _os;
        private readonly Architecture _architecture;

        public Pkcs11ModuleLocator()
            : this(File.Exists, Environment.GetEnvironmentVariable, HostOs.Current, RuntimeInformation.ProcessArchitecture)
        {
        }

        internal Pkcs11ModuleLocator(Func<string, bool> exists, Func<string, string?> getEnvironment, OsPlatform os, Architecture architecture)
        {
            _exists = exists;
            _getEnvironment = getEnvironment;
            _os = os;
            _architecture = architecture;
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
                string programFiles = _getEnvironment("ProgramFiles") ?? @"C:\Program Files";
                list.Add(Path.Combine(programFiles, "OpenSC Project", "OpenSC", "pkcs11", "opensc-pkcs11.dll"));
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
                string programFiles = _getEnvironment("ProgramFiles") ?? @"C:\Program Files";
                string? programFilesX86 = _getEnvironment("ProgramFiles(x86)");
                var list = new List<string> { Path.Combine(programFiles, "CryptoTech", "CryptoCard", "CCPkiP11.dll") };
                if (!string.IsNullOrEmpty(programFilesX86))
                {
                    list.Add(Path.Combine(programFilesX86!, "CryptoTech", "CryptoCard", "CCPkiP11.dll"));
                }

                return list;
            }

            return _os == OsPlatform.MacOS
                ? new[] { "/Library/Security/tokend/CCSuite.tokend/Contents/Frameworks/libccpkip11.dylib" }
                : new[] { "/usr/lib/ccs/libccpkip11.so" };
        }

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
            string? found = TryResolve(explicitPath, out IReadOnlyList<string> searched, out string? source);
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
            return TryResolve(null, out IReadOnlyList<string> searched) ?? searched[0];
        }

        /// <summary>
        /// The module to use, or null when none of the known places has one. An explicit path or the environment
        /// variable that names a missing file is an error, not a quiet null: the user asked for that file.
        /// </summary>
        public string? TryResolve(string? explicitPath, out IReadOnlyList<string> searched)
        {
            string? found = TryResolve(explicitPath, out searched, out string? source);
            if (found is null && source != null)
            {
                throw NotFound(searched, source);
            }

            return found;
        }

        private string? TryResolve(string? explicitPath, out IReadOnlyList<string> searched, out string? source)
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
            return candidates.FirstOrDefault(_exists);
        }

        private static EkengException NotFound(IReadOnlyList<string> searched, string? source)
        {
            string message = source is null
                ? $"No PKCS#11 module was found. Searched: {string.Join("; ", searched)}."
                : $"The PKCS#11 module given by {source} does not exist: {string.Join("; ", searched)}.";
            return new EkengException("Pkcs11ModuleNotFound", EkengErrorKind.NotInstalled, message)
            {
                RecommendedAction = "Install the card's middleware (CryptoCard Suite) or OpenSC, or name the library with -Pkcs11Module or the EKENG_PKCS11_MODULE environment variable.",
                TargetObject = searched.Count == 1 ? searched[0] : null,
            };
        }
    }
}
