using System.Diagnostics;
using Ekeng.Firefox;
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
        /// <summary>A browser command talks to no service: it leaves the trust-store read to the card and CRM commands.</summary>
        protected override bool PrefetchesTrustStore => false;

        public static class ParameterSets
        {
            public const string Profile = "Profile";
            public const string Policy = "Policy";
        }

        private readonly Stopwatch _progressClock = Stopwatch.StartNew();
        private readonly HashSet<MozillaPackaging> _sandboxWarned = new HashSet<MozillaPackaging>();
        private CryptoModuleService? _service;
        private CryptoModuleTargetResolver? _targets;

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

        private CryptoModuleTargetResolver Targets => _targets ??= new CryptoModuleTargetResolver(Service);

        /// <summary>The scope in force: Policy when asked for, or implied by -PolicyPath/-RegistryHive.</summary>
        protected CryptoModuleScope EffectiveScope => ParameterSetName == ParameterSets.Policy ? CryptoModuleScope.Policy : Scope;

        /// <summary>The progress activity, e.g. "Registering the PKCS#11 module".</summary>
        protected abstract string Activity { get; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ParameterSetName == ParameterSets.Policy && MyInvocation.BoundParameters.ContainsKey(nameof(Scope)) && Scope == CryptoModuleScope.Profile)
            {
                ThrowArgument(BrowserErrors.ScopeConflict, "-PolicyPath and -RegistryHive belong to -Scope Policy, not -Scope Profile.");
            }

            if (Scope == CryptoModuleScope.Policy && MyInvocation.BoundParameters.ContainsKey(nameof(ProfilePath)))
            {
                ThrowArgument(BrowserErrors.ScopeConflict, "-ProfilePath belongs to -Scope Profile, not -Scope Policy.");
            }
        }

        /// <summary>The targets of this record (chosen in Core): errors of unreadable profiles.ini are written, "nothing found" is a warning.</summary>
        protected IReadOnlyList<ICryptoModuleTarget> ResolveTargets()
        {
            var request = new CryptoModuleTargetRequest
            {
                Scope = EffectiveScope,
                Applications = Application,
                ProfilePaths = ProfilePath?.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)).ToList(),
                PolicyPaths = PolicyPath?.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)).ToList(),
                RegistryHive = RegistryHive,
                RegistryHiveGiven = MyInvocation.BoundParameters.ContainsKey(nameof(RegistryHive)),
            };
            CryptoModuleTargetResolution resolved;
            try
            {
                resolved = Targets.Resolve(request);
            }
            catch (EkengException e)
            {
                ThrowEkengError(e);
                throw;
            }

            DrainLog();
            foreach (EkengException error in resolved.Errors)
            {
                WriteEkengError(error);
            }

            foreach (string warning in resolved.Warnings)
            {
                WriteWarning(warning);
            }

            return resolved.Targets;
        }

        /// <summary>Runs <paramref name="work"/> on each target with progress, writing output objects and errors.</summary>
        protected void ForEachTarget(IReadOnlyList<ICryptoModuleTarget> targets, Func<ICryptoModuleTarget, ModuleResult[]> work, Action<ModuleResult>? observe = null)
        {
            ForEachTarget(targets, 1, (target, _) => work(target), null, observe);
        }

        /// <summary>
        /// Runs a WRITING <paramref name="work"/> on the targets, several at once (<see cref="OrderedParallelRun"/>, with
        /// their syncs shared: <see cref="CryptoModuleService.GroupCommit"/>) unless a confirmation could be shown
        /// (-Confirm, -WhatIf, $ConfirmPreference at or below this command's impact): then one at a time, as the prompts
        /// come in order. Output, errors, warnings from
        /// <paramref name="before"/> and progress are written in the targets' order on the pipeline thread; the work
        /// asks its confirmations through the <see cref="Confirmation"/> it is given.
        /// </summary>
        protected void ForEachTargetWriting(IReadOnlyList<ICryptoModuleTarget> targets, Func<ICryptoModuleTarget, Confirmation, ModuleResult[]> work, Action<ICryptoModuleTarget>? before = null)
        {
            int degree = ConfirmationsCanShow ? 1 : OrderedParallelRun.DefaultDegree;
            // Several profiles written at once: their syncs are shared (one syncfs per filesystem for the writes waiting).
            Service.GroupCommit = degree > 1 && targets.Count > 1;
            if (Service.GroupCommit)
            {
                WriteVerbose($"{targets.Count} targets are written at once; their files are made durable together (one syncfs per filesystem for the writes waiting), each before its rename.");
            }

            ForEachTarget(targets, degree, work, before, null);
        }

        private void ForEachTarget(IReadOnlyList<ICryptoModuleTarget> targets, int degree, Func<ICryptoModuleTarget, Confirmation, ModuleResult[]> work, Action<ICryptoModuleTarget>? before, Action<ModuleResult>? observe)
        {
            var progress = new ProgressRecord(0x46697265, Activity, "Starting");
            bool showProgress = targets.Count > 1;
            int i = 0;
            foreach (ModuleResult[] results in OrderedParallelRun.Run(targets, degree, work, AskShouldProcess))
            {
                ICryptoModuleTarget target = targets[i];
                if (showProgress && (i == 0 || _progressClock.ElapsedMilliseconds >= 200))
                {
                    _progressClock.Restart();
                    progress.StatusDescription = $"{i + 1} of {targets.Count}: {target.Description}";
                    progress.PercentComplete = (int)(100L * i / targets.Count);
                    WriteProgress(progress);
                }

                i++;
                before?.Invoke(target);
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

        /// <summary>True when ShouldProcess could show something (a prompt or a What-if line): then writes go one at a time.</summary>
        private bool ConfirmationsCanShow
        {
            get
            {
                if (IsWhatIf)
                {
                    return true;
                }

                if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? c))
                {
                    return c is SwitchParameter s && s.IsPresent;
                }

                object? preference = SessionState.PSVariable.GetValue("ConfirmPreference");
                ConfirmImpact impact = (MyInvocation.MyCommand as CmdletInfo)?.ImplementingType?.GetCustomAttributes(typeof(CmdletAttribute), true).OfType<CmdletAttribute>().FirstOrDefault()?.ConfirmImpact ?? ConfirmImpact.Medium;
                return !(preference is ConfirmImpact p) || (p != ConfirmImpact.None && p <= impact);
            }
        }

        /// <summary>False for Test-, which writes one Boolean instead of objects.</summary>
        protected virtual bool EmitsObjects => true;

        /// <summary>Warns once per packaging when a target is a profile of a snap or flatpak application.</summary>
        protected void WarnIfSandboxed(ICryptoModuleTarget target, string library)
        {
            if (!(target is ProfileModuleTarget profileTarget))
            {
                return;
            }

            MozillaProfile profile = profileTarget.Profile;
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

        /// <summary>
        /// A library path as Set-, Test- and Remove- all take it: %VARIABLES% expanded (Firefox loads the path literally;
        /// one left unexpanded ends the command with UnexpandedLibraryPath), then a path given as a parameter resolved
        /// against the current PowerShell location.
        /// </summary>
        protected string LibraryArgument(string library, bool given)
        {
            string expanded = library;
            try
            {
                expanded = LibraryPaths.ExpandForWrite(library);
            }
            catch (EkengException e)
            {
                ThrowEkengError(e, library);
            }

            return given ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(expanded) : expanded;
        }

        /// <summary>True when this invocation only shows what it would do (-WhatIf, or $WhatIfPreference).</summary>
        protected bool IsWhatIf =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) ? w is SwitchParameter s && s.IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

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

        protected void ThrowArgument(EkengError error, string message)
        {
            ThrowEkengError(new EkengException(error, message));
        }
    }
}
