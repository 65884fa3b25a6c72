using Ekeng.Chromium;
using Ekeng.Firefox;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>What Set- and Remove-ChromiumCertificatePolicy share: the browsers, the portal URL, where the policy lives.</summary>
    public abstract class ChromiumPolicyCmdletBase : EkengCmdlet
    {
        /// <summary>A browser command talks to no service: it leaves the trust-store read to the card and CRM commands.</summary>
        protected override bool PrefetchesTrustStore => false;

        /// <summary>The browsers whose policy to change: Chromium, Chrome, Edge (default: all three).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public ChromiumBrowser[] Browser { get; set; } = { ChromiumBrowser.Chromium, ChromiumBrowser.Chrome, ChromiumBrowser.Edge };

        /// <summary>The URL pattern (default https://crm.ekeng.am).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Url { get; set; } = AutoSelectCertificatePolicy.DefaultUrl;

        /// <summary>Windows: LocalMachine (default) or CurrentUser.</summary>
        [Parameter]
        public RegistryPolicyHive RegistryHive { get; set; } = RegistryPolicyHive.LocalMachine;

        /// <summary>Linux: a managed policy folder to use instead of the browser's (one -Browser).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PolicyFolder { get; set; }

        protected IReadOnlyList<IChromiumPolicyTarget> Targets()
        {
            if (PolicyFolder != null && Browser.Length != 1)
            {
                ThrowEkengError(new EkengException(BrowserErrors.PolicyFolderNeedsOneBrowser, "-PolicyFolder names one browser's folder: give one -Browser with it."));
            }

            try
            {
                return ChromiumPolicyTargets.Resolve(Browser, RegistryHive, PolicyFolder is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(PolicyFolder));
            }
            catch (EkengException e)
            {
                ThrowEkengError(e);
                throw;
            }
        }

        /// <summary>Runs one target's change, writing its result or its error (the other targets still run).</summary>
        protected void Apply(IChromiumPolicyTarget target, Func<IChromiumPolicyTarget, ChromiumCertificatePolicy?> change)
        {
            try
            {
                ChromiumCertificatePolicy? result = change(target);
                if (result != null)
                {
                    WriteObject(result);
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, target.Description);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                WriteEkengError(new EkengException(BrowserErrors.PolicyWriteFailed, e is UnauthorizedAccessException ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError,
                    $"Cannot change '{target.Description}': {e.Message} It was left as it was.", e)
                {
                    RecommendedAction = "Run as root (Linux) or as administrator (HKLM).",
                    TargetObject = target.Description,
                }, target.Description);
            }
        }
    }
}
