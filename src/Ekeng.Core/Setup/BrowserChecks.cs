using Ekeng.Chromium;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;
using Ekeng.Portal;

namespace Ekeng.Setup
{
    /// <summary>
    /// The browser checks: Firefox (each profile, or the policy), the Chromium family's NSS database (Linux) or
    /// certificate store (Windows), and the AutoSelectCertificateForUrls policy. Used by Test-EkengSetup and by the
    /// portal readiness checks, so that each is written once.
    /// </summary>
    public static class BrowserChecks
    {
        /// <summary>The setting that makes an Intune script run as the signed-in user.</summary>
        public const string RunAsUserSetting = "Intune: set \"Run this script using the logged on credentials\" to Yes (GPO: a logon script instead of a startup script)";

        /// <summary>Why a per-user check is not made as SYSTEM.</summary>
        public const string SystemReason = "running as SYSTEM (S-1-5-18): this user's certificate store and browser profiles are SYSTEM's, not the signed-in user's";

        /// <summary>
        /// Firefox: Pass when the policy loads the module, or when the profiles do (every profile with
        /// <paramref name="requireEveryProfile"/>, else any); Fail with the remedy otherwise; NotApplicable when no
        /// Firefox is installed and the user has no profile, or (as SYSTEM) when only the profiles could say.
        /// </summary>
        public static PortalCheck Firefox(string library, MozillaEnvironment environment, ILogger logger, bool perUserApplicable, bool requireEveryProfile)
        {
            const string name = "Firefox";
            var service = new CryptoModuleService(environment, logger);
            var resolver = new CryptoModuleTargetResolver(service);
            var spec = new CryptoModuleSpec(CryptoModuleSpec.DefaultName, library);

            CryptoModuleTargetResolution policy;
            try
            {
                policy = resolver.Resolve(new CryptoModuleTargetRequest { Scope = CryptoModuleScope.Policy });
            }
            catch (EkengException e)
            {
                return new PortalCheck(name, PortalCheckStatus.Fail, e.Message, e.RecommendedAction);
            }

            foreach (ICryptoModuleTarget target in policy.Targets)
            {
                if (target.Test(spec).Module?.Status == CryptoModuleStatus.Present)
                {
                    return new PortalCheck(name, PortalCheckStatus.Pass, $"the card's crypto module is set in {target.Description}");
                }
            }

            if (!perUserApplicable)
            {
                return new PortalCheck(name, PortalCheckStatus.NotApplicable, $"no Firefox policy loads the card's crypto module, and the profiles were not checked: {SystemReason}",
                    $"{RunAsUserSetting}; or register it machine-wide: Set-FirefoxCryptoModule -Scope Policy");
            }

            CryptoModuleTargetResolution profiles = resolver.Resolve(new CryptoModuleTargetRequest { Scope = CryptoModuleScope.Profile });
            var missing = new List<string>();
            var present = new List<string>();
            foreach (ICryptoModuleTarget target in profiles.Targets)
            {
                (target.Test(spec).Module?.Status == CryptoModuleStatus.Present ? present : missing).Add(target.Description);
            }

            bool installed = service.Installs.Find(MozillaApplication.Firefox).Count > 0;
            if (present.Count > 0 && (missing.Count == 0 || !requireEveryProfile))
            {
                return new PortalCheck(name, PortalCheckStatus.Pass, $"the card's crypto module is set in {string.Join(", ", present)}");
            }

            if (profiles.Targets.Count == 0 && !installed)
            {
                return new PortalCheck(name, PortalCheckStatus.NotApplicable, "Firefox is not installed and this user has no Firefox profile");
            }

            string where = missing.Count > 0 ? $"profile(s) {string.Join(", ", missing)}" : "this user has no Firefox profile yet, and no policy";
            return new PortalCheck(name, PortalCheckStatus.Fail, $"no Firefox profile or policy loads the card's crypto module {library} (not in {where})",
                "Set-FirefoxCryptoModule (each profile; close Firefox first), or Set-FirefoxCryptoModule -Scope Policy (machine-wide, as administrator)");
        }

        /// <summary>Chromium, Chrome, Edge: Linux, the user's NSS database; Windows and macOS, the system's certificate store.</summary>
        public static PortalCheck ChromiumModule(string library, MozillaEnvironment environment, ILogger logger, bool perUserApplicable)
        {
            const string name = "Chromium";
            if (environment.Platform != OsPlatform.Linux)
            {
                return new PortalCheck(name, PortalCheckStatus.Pass, "Chrome and Edge use the system's certificate store (the card's middleware puts the card's certificates there): nothing to register");
            }

            if (!perUserApplicable)
            {
                return new PortalCheck(name, PortalCheckStatus.NotApplicable, SystemReason, RunAsUserSetting);
            }

            string folder = ChromiumNssDb.PathFor(environment.HomeDirectory);
            var service = new CryptoModuleService(environment, logger);
            ModuleResult result = new NssDbModuleTarget(service, folder).Test(new CryptoModuleSpec(CryptoModuleSpec.DefaultName, library));
            if (result.Error != null)
            {
                return new PortalCheck(name, PortalCheckStatus.Fail, result.Error.Message, result.Error.RecommendedAction);
            }

            return result.Module?.Status == CryptoModuleStatus.Present
                ? new PortalCheck(name, PortalCheckStatus.Pass, $"the card's crypto module is set in the NSS database {folder}")
                : new PortalCheck(name, PortalCheckStatus.Fail, $"the NSS database {folder} (Chromium, Chrome, Edge) does not load the card's crypto module {library}",
                    "Set-FirefoxCryptoModule -Application Chromium (close the browser first)");
        }

        /// <summary>
        /// The AutoSelectCertificateForUrls policy for the portal: Pass when a browser's policy picks the card CA's
        /// certificate; Warning otherwise (the browser then shows a certificate dialog, which works too).
        /// </summary>
        public static PortalCheck CertificateAutoSelect(string url, string? issuerCommonName, IEnumerable<IChromiumPolicyTarget> targets)
        {
            const string name = "CertificateAutoSelect";
            var found = new List<string>();
            var other = new List<string>();
            foreach (IChromiumPolicyTarget target in targets)
            {
                ChromiumCertificatePolicy[] entries;
                try
                {
                    entries = target.Get(url);
                }
                catch (EkengException e)
                {
                    return new PortalCheck(name, PortalCheckStatus.Fail, e.Message, e.RecommendedAction);
                }

                foreach (ChromiumCertificatePolicy entry in entries)
                {
                    (issuerCommonName is null || string.Equals(entry.IssuerCommonName, issuerCommonName, StringComparison.Ordinal) ? found : other)
                        .Add($"{target.Browser} ({target.Description})");
                }
            }

            string remedy = $"Set-ChromiumCertificatePolicy{(issuerCommonName is null ? string.Empty : $" -IssuerCommonName '{issuerCommonName}'")} (as administrator)";
            if (found.Count > 0)
            {
                return new PortalCheck(name, PortalCheckStatus.Pass, $"{url} picks the card's certificate without a dialog in {string.Join(", ", found.Distinct())}");
            }

            return other.Count > 0
                ? new PortalCheck(name, PortalCheckStatus.Warning, $"the policy for {url} in {string.Join(", ", other.Distinct())} filters on another issuer than the card's ('{issuerCommonName}')", remedy)
                : new PortalCheck(name, PortalCheckStatus.Warning, $"no browser policy picks the card's certificate for {url}: the browser asks which certificate to use", remedy);
        }
    }
}
