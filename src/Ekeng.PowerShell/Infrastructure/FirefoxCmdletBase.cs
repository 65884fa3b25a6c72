using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Pkcs11;
using Ekeng.Platform;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// What the four *-FirefoxCryptoModule cmdlets share: the parameters that choose the targets (profiles of the
    /// current user, given profile folders, policy files, the Windows registry), the discovery of those targets,
    /// progress over many of them, and the mapping of each target's result to output and error records.
    /// </summary>
    public abstract class FirefoxCmdletBase : EkengCmdlet
    {
        public static class ParameterSets
        {
            public const string Profile = "Profile";
            public const string Policy = "Policy";
        }

        private readonly Stopwatch _progressClock = Stopwatch.StartNew();
        private readonly HashSet<MozillaPackaging> _sandboxWarned = new HashSet<MozillaPackaging>();
        private CryptoModuleService? _service;
        private Dictionary<string, MozillaProfile>? _knownProfiles;

        /// <summary>Profile (default): the profiles' pkcs11.txt. Policy: machine-wide, by enterprise policy.</summary>
        [Parameter]
        public CryptoModuleScope Scope { get; set; } = CryptoModuleScope.Profile;

        /// <summary>Profile folders to use instead of the profiles listed in profiles.ini.</summary>
        [Parameter(ParameterSetName = ParameterSets.Profile, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? ProfilePath { get; set; }

        /// <summary>Firefox (default), Thunderbird, or both.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public MozillaApplication[] Application { get; set; } = { MozillaApplication.Firefox };

        /// <summary>policies.json files to use instead of the ones found.</summary>
        [Parameter(ParameterSetName = ParameterSets.Policy, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? PolicyPath { get; set; }

        /// <summary>Windows: the registry hive of the policy (HKLM by default).</summary>
        [Parameter(ParameterSetName = ParameterSets.Policy)]
        public RegistryPolicyHive RegistryHive { get; set; } = RegistryPolicyHive.LocalMachine;

        protected CryptoModuleService Service => _service ??= new CryptoModuleService(MozillaEnvironment.Current(), CreateLogger<CryptoModuleService>());

        /// <summary>The scope in force: Policy when asked for, or implied by -PolicyPath/-RegistryHive.</summary>
        protected CryptoModuleScope EffectiveScope => ParameterSetName == ParameterSets.Policy ? CryptoModuleScope.Policy : Scope;

        /// <summary>The progress activity, e.g. "Registering the PKCS#11 module".</summary>
        protected abstract string Activity { get; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ParameterSetName == ParameterSets.Policy && MyInvocation.BoundParameters.ContainsKey(nameof(Scope)) && Scope == CryptoModuleScope.Profile)
            {
                ThrowArgument("ScopeConflict", "-PolicyPath and -RegistryHive belong to -Scope Policy, not -Scope Profile.");
            }

            if (Scope == CryptoModuleScope.Policy && MyInvocation.BoundParameters.ContainsKey(nameof(ProfilePath)))
            {
                ThrowArgument("ScopeConflict", "-ProfilePath belongs to -Scope Profile, not -Scope Policy.");
            }
        }

        /// <summary>One unit of work: a profile, a policy file or the registry.</summary>
        protected sealed class Target
        {
            public Target(MozillaApplication application, string description)
            {
                Application = application;
                Description = description;
            }

            public MozillaApplication Application { get; }
            public string Description { get; }
            public MozillaProfile? Profile { get; set; }
            public string? PolicyFile { get; set; }
            public IRegistryPolicyStore? Registry { get; set; }
        }

        /// <summary>The targets of this record: errors of unreadable profiles.ini are written, "no profile" is a warning.</summary>
        protected List<Target> ResolveTargets()
        {
            var targets = new List<Target>();
            if (EffectiveScope == CryptoModuleScope.Profile)
            {
                MozillaApplication application = Application.FirstOrDefault();
                if (ProfilePath != null)
                {
                    foreach (string path in ProfilePath)
                    {
                        string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                        MozillaProfile profile = Service.Profiles.FromPath(resolved, application);
                        if (KnownProfiles().TryGetValue(profile.Path, out MozillaProfile? listed) && listed.Application == application)
                        {
                            // The name (and packaging) from profiles.ini, when a root lists this folder.
                            profile = listed;
                        }

                        targets.Add(new Target(application, profile.Path) { Profile = profile });
                    }

                    return targets;
                }

                ProfileSearchResult found = Service.Profiles.FindProfiles(Application);
                DrainLog();
                foreach (EkengException error in found.Errors)
                {
                    WriteEkengError(error);
                }

                foreach (MozillaProfile profile in found.Profiles)
                {
                    targets.Add(new Target(profile.Application, profile.Path) { Profile = profile });
                }

                if (found.Profiles.Count == 0 && found.Errors.Count == 0)
                {
                    string roots = string.Join(", ", Application.SelectMany(a => Service.Profiles.GetRoots(a)).Select(r => r.Path));
                    WriteWarning($"No {string.Join(" or ", Application)} profile was found for this user (searched: {roots}). Nothing to do; start the application once to create a profile, name one with -ProfilePath, or use -Scope Policy.");
                }

                return targets;
            }

            foreach (MozillaApplication application in Application.Distinct())
            {
                if (PolicyPath != null)
                {
                    foreach (string path in PolicyPath)
                    {
                        string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                        targets.Add(new Target(application, resolved) { PolicyFile = resolved });
                    }

                    continue;
                }

                if (Service.Environment.Platform == OsPlatform.Windows)
                {
                    var store = new WindowsRegistryPolicyStore(RegistryHive);
                    targets.Add(new Target(application, store.HiveName + @"\Software\Policies\Mozilla\" + application) { Registry = store });
                    continue;
                }

                if (MyInvocation.BoundParameters.ContainsKey(nameof(RegistryHive)))
                {
                    ThrowArgument("RegistryPolicyUnsupported", "-RegistryHive applies to Windows only; on this OS the policy lives in policies.json.");
                }

                IReadOnlyList<string> files = Service.GetPolicyFiles(application);
                DrainLog();
                if (files.Count == 0)
                {
                    WriteWarning($"No {application} installation or policy folder was found on this machine; name a policies.json with -PolicyPath.");
                }

                foreach (string file in files)
                {
                    targets.Add(new Target(application, file) { PolicyFile = file });
                }
            }

            return targets;
        }

        /// <summary>The profiles listed in profiles.ini, by folder: read once per command (pipelines bind -ProfilePath per object).</summary>
        private Dictionary<string, MozillaProfile> KnownProfiles()
        {
            if (_knownProfiles is null)
            {
                StringComparer comparer = Service.Environment.PathComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
                _knownProfiles = new Dictionary<string, MozillaProfile>(comparer);
                foreach (MozillaProfile profile in Service.Profiles.FindProfiles(Application).Profiles)
                {
                    _knownProfiles[profile.Path] = profile;
                }

                // Its log (and any unreadable profiles.ini) concerns the profiles.ini search, not the folders named here.
                while (LogProvider.TryDequeue(out _))
                {
                }
            }

            return _knownProfiles;
        }

        /// <summary>Runs <paramref name="work"/> on each target with progress, writing output objects and errors.</summary>
        protected void ForEachTarget(IReadOnlyList<Target> targets, Func<Target, ModuleResult[]> work, Action<ModuleResult>? observe = null)
        {
            var progress = new ProgressRecord(0x46697265, Activity, "Starting");
            bool showProgress = targets.Count > 1;
            for (int i = 0; i < targets.Count; i++)
            {
                Target target = targets[i];
                if (showProgress && (i == 0 || _progressClock.ElapsedMilliseconds >= 200))
                {
                    _progressClock.Restart();
                    progress.StatusDescription = $"{i + 1} of {targets.Count}: {target.Description}";
                    progress.PercentComplete = (int)(100L * i / targets.Count);
                    WriteProgress(progress);
                }

                ModuleResult[] results = work(target);
                DrainLog();
                foreach (ModuleResult result in results)
                {
                    observe?.Invoke(result);
                    if (result.Error != null)
                    {
                        WriteEkengError(result.Error);
                    }

                    if (result.Module != null && EmitsObjects)
                    {
                        WriteObject(result.Module);
                    }
                }
            }

            if (showProgress)
            {
                progress.RecordType = ProgressRecordType.Completed;
                progress.PercentComplete = 100;
                WriteProgress(progress);
            }
        }

        /// <summary>False for Test-, which writes one Boolean instead of objects.</summary>
        protected virtual bool EmitsObjects => true;

        /// <summary>Warns once per packaging when a profile belongs to a snap or flatpak application.</summary>
        protected void WarnIfSandboxed(MozillaProfile profile, string library)
        {
            string? warning = CryptoModuleService.SandboxWarning(profile, library);
            if (warning != null && _sandboxWarned.Add(profile.Packaging))
            {
                WriteWarning(warning);
            }
        }

        /// <summary>The library when none is named: the PKCS#11 module locator's, an error (written) when EKENG_PKCS11_MODULE names a missing file.</summary>
        protected string DefaultLibrary()
        {
            try
            {
                return new Pkcs11ModuleLocator().ResolveOrDefault();
            }
            catch (EkengException e)
            {
                ThrowEkengError(e);
                throw;
            }
        }

        /// <summary>ShouldProcess for the services: asked once per file or key before it is written.</summary>
        protected bool AskShouldProcess(string target, string action) => ShouldProcessOrExplain(target, action);

        /// <summary>A name filter from wildcard patterns; null for none.</summary>
        protected static Func<string?, bool>? NameFilter(string[]? patterns)
        {
            if (patterns is null || patterns.Length == 0)
            {
                return null;
            }

            var compiled = patterns.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
            return name => name != null && compiled.Any(p => p.IsMatch(name));
        }

        protected void ThrowArgument(string errorId, string message)
        {
            ThrowEkengError(new EkengException(errorId, EkengErrorKind.InvalidArgument, message));
        }
    }
}
