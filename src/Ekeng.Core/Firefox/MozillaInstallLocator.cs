using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>Finds installations of Firefox and Thunderbird in their usual places, and the policy files they read.</summary>
    public sealed class MozillaInstallLocator
    {
        private readonly MozillaEnvironment _environment;

        public MozillaInstallLocator(MozillaEnvironment environment)
        {
            _environment = environment;
        }

        public IReadOnlyList<MozillaInstall> Find(MozillaApplication application)
        {
            var found = new List<MozillaInstall>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string directory in Candidates(application))
            {
                string full;
                try
                {
                    full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                if (!seen.Add(full) || !_environment.DirectoryExists(full))
                {
                    continue;
                }

                MozillaInstall? install = Describe(application, full);
                if (install != null)
                {
                    found.Add(install);
                }
            }

            return found;
        }

        /// <summary>The machine-wide policy file outside any installation: Linux /etc/&lt;app&gt;/policies/policies.json, null elsewhere.</summary>
        public string? SystemPolicyFile(MozillaApplication application) =>
            _environment.Platform == OsPlatform.Linux
                ? "/etc/" + (application == MozillaApplication.Firefox ? "firefox" : "thunderbird") + "/policies/policies.json"
                : null;

        /// <summary>
        /// The policies.json files to merge into. Firefox on Linux reads /etc/firefox/policies/policies.json when it
        /// exists and ignores the installation's then; creating it would hide the installation's other policies. So:
        /// the /etc file when it exists (plus every installation's existing file, kept in step); otherwise each
        /// installation's distribution/policies.json (snap installations are read-only: they read /etc only); with no
        /// writable installation, the /etc file.
        /// </summary>
        public static IReadOnlyList<string> ResolvePolicyFiles(string? systemFile, IEnumerable<MozillaInstall> installs, Func<string, bool> fileExists)
        {
            var files = new List<string>();
            var writable = installs.Where(i => i.Packaging == MozillaPackaging.Native).ToList();
            if (systemFile != null && fileExists(systemFile))
            {
                files.Add(systemFile);
                files.AddRange(writable.Select(i => i.PolicyFile).Where(fileExists));
            }
            else if (writable.Count > 0)
            {
                files.AddRange(writable.Select(i => i.PolicyFile));
            }
            else if (systemFile != null)
            {
                files.Add(systemFile);
            }

            return files.Distinct(StringComparer.Ordinal).ToList();
        }

        private IEnumerable<string> Candidates(MozillaApplication application)
        {
            bool firefox = application == MozillaApplication.Firefox;
            switch (_environment.Platform)
            {
                case OsPlatform.Windows:
                    string folder = firefox ? "Mozilla Firefox" : "Mozilla Thunderbird";
                    foreach (string variable in new[] { "ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA" })
                    {
                        string? root = _environment.GetVariable(variable);
                        if (root != null)
                        {
                            yield return Path.Combine(root, folder);
                        }
                    }

                    break;
                case OsPlatform.MacOS:
                    string[] bundles = firefox
                        ? new[] { "Firefox.app", "Firefox ESR.app", "Firefox Developer Edition.app", "Firefox Nightly.app" }
                        : new[] { "Thunderbird.app" };
                    foreach (string bundle in bundles)
                    {
                        yield return Path.Combine("/Applications", bundle);
                        yield return Path.Combine(_environment.HomeDirectory, "Applications", bundle);
                    }

                    break;
                default:
                    string[] names = firefox ? new[] { "firefox-esr", "firefox" } : new[] { "thunderbird" };
                    foreach (string name in names)
                    {
                        foreach (string lib in new[] { "/usr/lib", "/usr/lib64", "/opt", "/usr/local/lib" })
                        {
                            yield return Path.Combine(lib, name);
                        }
                    }

                    // The binary on PATH, through its symlinks (Debian: /usr/bin/firefox-esr -> /usr/lib/firefox-esr/firefox-esr).
                    string? path = _environment.GetVariable("PATH");
                    foreach (string dir in (path ?? string.Empty).Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        foreach (string name in names)
                        {
                            string candidate = Path.Combine(dir, name);
                            if (_environment.FileExists(candidate) && _environment.Platform == HostOs.Current)
                            {
                                string? real = UnixNative.RealPath(candidate);
                                if (real != null && !real.StartsWith("/snap/", StringComparison.Ordinal))
                                {
                                    yield return Path.GetDirectoryName(real) ?? dir;
                                }
                            }
                        }
                    }

                    yield return "/snap/" + (firefox ? "firefox" : "thunderbird") + "/current/usr/lib/" + (firefox ? "firefox" : "thunderbird");
                    break;
            }
        }

        private MozillaInstall? Describe(MozillaApplication application, string directory)
        {
            bool firefox = application == MozillaApplication.Firefox;
            switch (_environment.Platform)
            {
                case OsPlatform.Windows:
                    string exe = Path.Combine(directory, firefox ? "firefox.exe" : "thunderbird.exe");
                    return _environment.FileExists(exe) ? new MozillaInstall(application, directory, exe, Path.Combine(directory, "distribution"), MozillaPackaging.Native) : null;
                case OsPlatform.MacOS:
                    string xul = Path.Combine(directory, "Contents", "MacOS", "XUL");
                    return _environment.FileExists(xul)
                        ? new MozillaInstall(application, directory, xul, Path.Combine(directory, "Contents", "Resources", "distribution"), MozillaPackaging.Native)
                        : null;
                default:
                    string libxul = Path.Combine(directory, "libxul.so");
                    if (!_environment.FileExists(libxul) && !_environment.FileExists(Path.Combine(directory, "application.ini")))
                    {
                        return null;
                    }

                    MozillaPackaging packaging = directory.StartsWith("/snap/", StringComparison.Ordinal) ? MozillaPackaging.Snap : MozillaPackaging.Native;
                    return new MozillaInstall(application, directory, _environment.FileExists(libxul) ? libxul : null, Path.Combine(directory, "distribution"), packaging);
            }
        }
    }
}
