using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Chooses the targets of a request: the profiles listed in profiles.ini (or the folders named), the policy files
    /// found (or named), or on Windows the registry. One per command: the profiles.ini listing used to name folders
    /// given by path is read once (pipelines bind -ProfilePath per object).
    /// </summary>
    public sealed class CryptoModuleTargetResolver
    {
        private readonly CryptoModuleService _service;
        private Dictionary<string, MozillaProfile>? _knownProfiles;

        public CryptoModuleTargetResolver(CryptoModuleService service)
        {
            _service = service;
        }

        /// <summary>The targets; throws RegistryPolicyUnsupported when a registry hive is named off Windows.</summary>
        public CryptoModuleTargetResolution Resolve(CryptoModuleTargetRequest request)
        {
            var result = new CryptoModuleTargetResolution();
            if (request.Applications.Contains(MozillaApplication.Chromium))
            {
                if (request.Scope == CryptoModuleScope.Policy)
                {
                    throw new EkengException(BrowserErrors.ChromiumPolicyScope, "Chromium, Chrome and Edge have no policy that loads a PKCS#11 module: -Application Chromium takes -Scope Profile (the user's NSS database, ~/.pki/nssdb). Their certificate-selection policy is Set-ChromiumCertificatePolicy's.");
                }

                ResolveChromium(request, result);
                request = new CryptoModuleTargetRequest
                {
                    Scope = request.Scope,
                    Applications = request.Applications.Where(a => a != MozillaApplication.Chromium).ToList(),
                    ProfilePaths = request.ProfilePaths,
                    PolicyPaths = request.PolicyPaths,
                    RegistryHive = request.RegistryHive,
                    RegistryHiveGiven = request.RegistryHiveGiven,
                };
                if (request.Applications.Count == 0 || request.ProfilePaths != null)
                {
                    // Folders named with -ProfilePath are the NSS databases' when Chromium is asked for.
                    return result;
                }
            }

            if (request.Scope == CryptoModuleScope.Profile)
            {
                ResolveProfiles(request, result);
                return result;
            }

            foreach (MozillaApplication application in request.Applications.Distinct())
            {
                if (request.PolicyPaths != null)
                {
                    result.Targets.AddRange(request.PolicyPaths.Select(path => _service.ForPolicyFile(application, path)));
                    continue;
                }

                if (_service.Environment.Platform == OsPlatform.Windows)
                {
                    result.Targets.Add(_service.ForRegistry(application, new WindowsRegistryPolicyStore(request.RegistryHive)));
                    continue;
                }

                if (request.RegistryHiveGiven)
                {
                    throw new EkengException(BrowserErrors.RegistryPolicyUnsupported, "-RegistryHive applies to Windows only; on this OS the policy lives in policies.json.");
                }

                IReadOnlyList<string> files = _service.GetPolicyFiles(application);
                if (files.Count == 0)
                {
                    result.Warnings.Add($"No {application} installation or policy folder was found on this machine; name a policies.json with -PolicyPath.");
                }

                result.Targets.AddRange(files.Select(file => _service.ForPolicyFile(application, file)));
            }

            return result;
        }

        /// <summary>Linux: the user's shared NSS database (or the folders named); Windows and macOS: nothing to register.</summary>
        private void ResolveChromium(CryptoModuleTargetRequest request, CryptoModuleTargetResolution result)
        {
            if (_service.Environment.Platform != OsPlatform.Linux)
            {
                result.Warnings.Add("Chrome and Edge on this OS use the system's certificate store (the card's middleware puts the card's certificates there): there is no PKCS#11 module to register for them.");
                return;
            }

            IEnumerable<string> folders = request.ProfilePaths ?? new[] { Chromium.ChromiumNssDb.PathFor(_service.Environment.HomeDirectory) };
            result.Targets.AddRange(folders.Select(folder => (ICryptoModuleTarget)new Chromium.NssDbModuleTarget(_service, folder)));
        }

        private void ResolveProfiles(CryptoModuleTargetRequest request, CryptoModuleTargetResolution result)
        {
            MozillaApplication application = request.Applications.FirstOrDefault();
            if (request.ProfilePaths != null)
            {
                foreach (string path in request.ProfilePaths)
                {
                    MozillaProfile profile = _service.Profiles.FromPath(path, application);
                    if (KnownProfiles(request.Applications).TryGetValue(profile.Path, out MozillaProfile? listed) && listed.Application == application)
                    {
                        // The name (and packaging) from profiles.ini, when a root lists this folder.
                        profile = listed;
                    }

                    result.Targets.Add(_service.ForProfile(profile));
                }

                return;
            }

            ProfileSearchResult found = _service.Profiles.FindProfiles(request.Applications);
            result.Errors.AddRange(found.Errors);
            result.Targets.AddRange(found.Profiles.Select(_service.ForProfile));
            if (found.Profiles.Count == 0 && found.Errors.Count == 0)
            {
                string roots = string.Join(", ", request.Applications.SelectMany(a => _service.Profiles.GetRoots(a)).Select(r => r.Path));
                result.Warnings.Add($"No {string.Join(" or ", request.Applications)} profile was found for this user (searched: {roots}). Nothing to do; start the application once to create a profile, name one with -ProfilePath, or use -Scope Policy.");
            }
        }

        /// <summary>The profiles listed in profiles.ini, by folder; searched without logging (it concerns profiles.ini, not the folders named).</summary>
        private Dictionary<string, MozillaProfile> KnownProfiles(IReadOnlyList<MozillaApplication> applications)
        {
            if (_knownProfiles is null)
            {
                StringComparer comparer = _service.Environment.PathComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
                _knownProfiles = new Dictionary<string, MozillaProfile>(comparer);
                foreach (MozillaProfile profile in new ProfileLocator(_service.Environment, NullLogger.Instance).FindProfiles(applications).Profiles)
                {
                    _knownProfiles[profile.Path] = profile;
                }
            }

            return _knownProfiles;
        }
    }
}
