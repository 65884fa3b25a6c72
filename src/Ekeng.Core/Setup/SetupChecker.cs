using System.Security.Cryptography.X509Certificates;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Chromium;
using Ekeng.Crm;
using Ekeng.Http;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.PcSc;
using Ekeng.Pkcs11;
using Ekeng.Platform;
using Ekeng.Portal;

namespace Ekeng.Setup
{
    /// <summary>
    /// Test-EkengSetup's checks, in the manual's order: middleware, smart-card service, reader, card, PINs, PUK,
    /// certificates (validity, chain, revocation), the Windows certificate store, the browsers, the EKENG service; with
    /// a PIN given (never asked), the registration and the paid period (<see cref="EkengRecordsCheck"/>). None prompts;
    /// each is bounded (PC/SC and PKCS#11 calls return at once, revocation and the service have their own timeouts).
    /// One check type (<see cref="PortalCheck"/>) serves these and the portal readiness checks.
    /// </summary>
    public sealed class SetupChecker
    {
        private readonly ILogger _logger;
        private readonly MozillaEnvironment _environment;
        private readonly Func<PcScContext> _pcsc;
        private readonly Func<IEnumerable<IChromiumPolicyTarget>>? _policies;

        public SetupChecker(ILogger? logger = null, MozillaEnvironment? environment = null, Func<PcScContext>? pcsc = null, Func<IEnumerable<IChromiumPolicyTarget>>? policies = null)
        {
            _logger = logger ?? NullLogger.Instance;
            _environment = environment ?? MozillaEnvironment.Current();
            _pcsc = pcsc ?? (() => PcScContext.Establish(_logger));
            _policies = policies;
        }

        public IReadOnlyList<PortalCheck> Run(SetupOptions options)
        {
            var checks = new List<PortalCheck>();
            string? library = Middleware(options, checks);
            IReadOnlyList<string>? readers = Service(checks);
            checks.Add(readers is null ? new PortalCheck("Reader", PortalCheckStatus.NotApplicable, "the smart-card service is not available")
                : readers.Count == 0 ? new PortalCheck("Reader", PortalCheckStatus.Fail, "no smart-card reader is connected", "Connect the card reader (and install its driver).")
                : new PortalCheck("Reader", PortalCheckStatus.Pass, string.Join(", ", readers)));

            EkengCard? card = library is null ? null : Card(library, options.Pkcs11Module, checks);
            checks.Add(PortalReadiness.PinCheck("AuthPIN", card?.AuthPin));
            checks.Add(PortalReadiness.PinCheck("SignPIN", card?.SignPin));
            checks.Add(PukCheck(card?.AuthPin ?? card?.SignPin));

            IReadOnlyList<EkengCertificate> certificates = Array.Empty<EkengCertificate>();
            if (card != null)
            {
                try
                {
                    certificates = new CertificateService(_logger).GetCertificates(card);
                }
                catch (EkengException e)
                {
                    _logger.LogWarning("The certificates could not be read: {Message}", e.Message);
                }
            }

            EkengCertificate? auth = certificates.FirstOrDefault(c => c.Kind == CertificateKind.Authentication);
            EkengCertificate? sign = certificates.FirstOrDefault(c => c.Kind == CertificateKind.Signing);
            checks.Add(CertificateCheck("AuthCertificate", auth, card, options));
            checks.Add(CertificateCheck("SignCertificate", sign, card, options));
            checks.Add(ChainCheck(new[] { auth, sign }.Where(c => c != null).Select(c => c!).ToList(), options, revocation: false));
            checks.Add(options.CheckRevocation
                ? ChainCheck(new[] { auth, sign }.Where(c => c != null).Select(c => c!).ToList(), options, revocation: true)
                : new PortalCheck("Revocation", PortalCheckStatus.NotApplicable, "not checked (-CheckRevocation checks it online)"));
            checks.Add(StoreCheck(auth, options));

            bool perUser = !options.IsLocalSystem;
            string moduleLibrary = library ?? card?.Pkcs11Module ?? DefaultLibrary();
            checks.Add(Guard("Firefox", () => BrowserChecks.Firefox(moduleLibrary, _environment, _logger, perUser, requireEveryProfile: true)));
            checks.Add(Guard("Chromium", () => BrowserChecks.ChromiumModule(moduleLibrary, _environment, _logger, perUser)));
            string? issuerCn = auth?.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: true);
            checks.Add(Guard("CertificateAutoSelect", () => BrowserChecks.CertificateAutoSelect(options.PortalUrl, issuerCn, (_policies ?? (() => DefaultPolicies(options)))())));
            PortalCheck service = ServiceCheck(options);
            checks.Add(service);
            checks.AddRange(EkengRecordsCheck.Run(options, service, auth, _logger));
            return checks;
        }

        /// <summary>The library the browsers should load when none was found here (the middleware's usual place).</summary>
        private static string DefaultLibrary()
        {
            try
            {
                return new Pkcs11ModuleLocator().ResolveOrDefault();
            }
            catch (EkengException)
            {
                // EKENG_PKCS11_MODULE names a missing file: the Middleware check already says so.
                return new Pkcs11ModuleLocator().MiddlewareCandidates().FirstOrDefault() ?? string.Empty;
            }
        }

        /// <summary>Every browser's machine policy; on Windows the user's (HKCU) too, unless running as SYSTEM (whose HKCU is not the user's).</summary>
        private static IEnumerable<IChromiumPolicyTarget> DefaultPolicies(SetupOptions options)
        {
            var browsers = new[] { ChromiumBrowser.Chromium, ChromiumBrowser.Chrome, ChromiumBrowser.Edge };
            IEnumerable<IChromiumPolicyTarget> targets = ChromiumPolicyTargets.Resolve(browsers, RegistryPolicyHive.LocalMachine);
            return HostOs.IsWindows && !options.IsLocalSystem ? targets.Concat(ChromiumPolicyTargets.Resolve(browsers, RegistryPolicyHive.CurrentUser)) : targets;
        }

        private PortalCheck Guard(string name, Func<PortalCheck> check)
        {
            try
            {
                return check();
            }
            catch (EkengException e)
            {
                return new PortalCheck(name, PortalCheckStatus.Fail, e.Message, e.RecommendedAction);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                return new PortalCheck(name, PortalCheckStatus.Fail, e.Message);
            }
        }

        /// <summary>
        /// EKENG: only a service named to speak this module's contract is asked, without the card (the contract
        /// document), within the options' timeout; the real crm.ekeng.am publishes no API, so with none named the
        /// check says so.
        /// </summary>
        internal static PortalCheck ServiceCheck(SetupOptions options)
        {
            const string name = "EkengService";
            try
            {
                Uri? named = EkengSessionOptions.ResolveNamedCrmUri(options.CrmUri);
                if (named is null)
                {
                    return new PortalCheck(name, PortalCheckStatus.NotApplicable, "no service that speaks the module's contract is named (-CrmUri, EKENG_CRM_URI); the holder signs in at https://crm.ekeng.am with the browser");
                }

                var login = new CardLogin(named, options.TrustedCaFile) { Configure = o => o.Timeout = options.ServiceTimeout };
                using (var stop = new System.Threading.CancellationTokenSource(options.ServiceTimeout))
                {
                    string version = login.ProbeContractAsync(stop.Token).GetAwaiter().GetResult();
                    return new PortalCheck(name, PortalCheckStatus.Pass, $"{named} speaks {ServiceContract.Name} {version}");
                }
            }
            catch (EkengException e)
            {
                return new PortalCheck(name, PortalCheckStatus.Fail, e.Message, e.RecommendedAction);
            }
            catch (OperationCanceledException)
            {
                return new PortalCheck(name, PortalCheckStatus.Fail, $"{options.CrmUri?.ToString() ?? Environment.GetEnvironmentVariable(EkengSessionOptions.CrmUriVariable)} did not answer within {options.ServiceTimeout.TotalSeconds:0} s");
            }
        }

        private static string? Middleware(SetupOptions options, List<PortalCheck> checks)
        {
            var locator = new Pkcs11ModuleLocator();
            string? found;
            try
            {
                found = locator.TryResolve(options.Pkcs11Module, out IReadOnlyList<string> _);
            }
            catch (EkengException e)
            {
                checks.Add(new PortalCheck("Middleware", PortalCheckStatus.Fail, e.Message, e.RecommendedAction));
                return null;
            }

            if (found is null)
            {
                checks.Add(new PortalCheck("Middleware", PortalCheckStatus.Fail, $"{Pkcs11ModuleLocator.MiddlewareName} is not installed (searched: {string.Join("; ", locator.MiddlewareCandidates())})",
                    $"Install {Pkcs11ModuleLocator.MiddlewareName} from {Pkcs11ModuleLocator.MiddlewareSource}, or set {Pkcs11ModuleLocator.EnvironmentVariable}."));
                return null;
            }

            BinaryMachine? machine = null;
            try
            {
                machine = BinaryMachine.Read(found);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is EkengException)
            {
                checks.Add(new PortalCheck("Middleware", PortalCheckStatus.Fail, $"{found} cannot be read: {e.Message}"));
                return null;
            }

            string host = $"{RuntimeInformation.ProcessArchitecture} ({(Environment.Is64BitProcess ? "64" : "32")}-bit) host";
            if (machine?.ProcessArchitecture is Architecture architecture && architecture != RuntimeInformation.ProcessArchitecture)
            {
                checks.Add(new PortalCheck("Middleware", PortalCheckStatus.Fail, $"{found} is {machine}: this {host} cannot load it",
                    "Run a PowerShell of the library's bitness (Intune: \"Run script in 64-bit PowerShell host\" = Yes), or install the middleware for this one."));
                return null;
            }

            if (Pkcs11ModuleLocator.IsOpenSc(found) && !locator.IsNamed(options.Pkcs11Module))
            {
                checks.Add(new PortalCheck("Middleware", PortalCheckStatus.Warning, $"only OpenSC was found ({found}): it has no driver for ARMID cards, whose PINs and certificates need {Pkcs11ModuleLocator.MiddlewareName}",
                    $"Install {Pkcs11ModuleLocator.MiddlewareName} from {Pkcs11ModuleLocator.MiddlewareSource}, or set {Pkcs11ModuleLocator.EnvironmentVariable}."));
                return found;
            }

            checks.Add(new PortalCheck("Middleware", PortalCheckStatus.Pass, $"{found} ({machine?.ToString() ?? "type not recognised"}), loadable by this {host}"));
            return found;
        }

        private IReadOnlyList<string>? Service(List<PortalCheck> checks)
        {
            string service = HostOs.IsWindows ? "SCardSvr (Smart Card)" : "pcscd";
            try
            {
                using (PcScContext context = _pcsc())
                {
                    checks.Add(new PortalCheck("SmartCardService", PortalCheckStatus.Pass, $"{service} is running"));
                    try
                    {
                        return context.ListReaders();
                    }
                    catch (EkengException e)
                    {
                        _logger.LogDebug("No readers: {Message}", e.Message);
                        return Array.Empty<string>();
                    }
                }
            }
            catch (PcScException e) when (e.Code == PcScResult.NoService)
            {
                checks.Add(new PortalCheck("SmartCardService", PortalCheckStatus.Fail, $"{service} is not running (SCARD_E_NO_SERVICE)",
                    HostOs.IsWindows ? "Start-Service SCardSvr" : "systemctl start pcscd (or: systemctl enable --now pcscd.socket)"));
            }
            catch (EkengException e)
            {
                checks.Add(new PortalCheck("SmartCardService", PortalCheckStatus.Fail, e.Message, e.RecommendedAction));
            }

            return null;
        }

        private EkengCard? Card(string library, string? named, List<PortalCheck> checks)
        {
            IReadOnlyList<EkengCard> cards;
            try
            {
                // As Get-EkengCard reads them: the library named, else the one found (OpenSC only for cards it drives).
                cards = new CardInventory(_logger).GetCards(null, named);
            }
            catch (EkengException e)
            {
                checks.Add(new PortalCheck("Card", PortalCheckStatus.Fail, e.Message, e.RecommendedAction));
                return null;
            }

            EkengCard? card = cards.FirstOrDefault(c => c.IsArmid && c.Tokens.Count > 0) ?? cards.FirstOrDefault(c => c.Tokens.Count > 0) ?? cards.FirstOrDefault(c => c.CardPresent);
            if (card is null)
            {
                checks.Add(new PortalCheck("Card", PortalCheckStatus.Fail, "no card was found", "Insert the ID card."));
                return null;
            }

            string where = card.Reader is null ? $"tokens of {library}" : $"in '{card.Reader}'";
            checks.Add(card.IsArmid
                ? new PortalCheck("Card", PortalCheckStatus.Pass, $"ARMID card {card.SerialNumber} {where}".Replace("  ", " "))
                : new PortalCheck("Card", PortalCheckStatus.Fail, $"the card {where} is not an ARMID card (ATR {card.Atr})", "Insert the Armenian ID card."));
            return card.IsArmid ? card : null;
        }

        internal static PortalCheck PukCheck(PinStatus? pin)
        {
            if (pin is null)
            {
                return new PortalCheck("PUK", PortalCheckStatus.NotApplicable, "not read from the card");
            }

            switch (pin.PukState)
            {
                case PinState.Locked:
                    return new PortalCheck("PUK", PortalCheckStatus.Fail, "blocked: a blocked PIN can no longer be unblocked", "The ID card's issuer replaces the card.");
                case PinState.FinalTry:
                    return new PortalCheck("PUK", PortalCheckStatus.Warning, "one try left: a wrong PUK blocks it", "Type it carefully.");
                default:
                    return new PortalCheck("PUK", PortalCheckStatus.Pass, $"not blocked{(pin.PukState == PinState.CountLow ? " (a wrong PUK was typed before)" : string.Empty)}");
            }
        }

        private static PortalCheck CertificateCheck(string name, EkengCertificate? certificate, EkengCard? card, SetupOptions options) =>
            certificate is null
                ? new PortalCheck(name, card is null ? PortalCheckStatus.NotApplicable : PortalCheckStatus.Fail, card is null ? "no card" : "not on the card")
                : PortalReadiness.CertificateCheck(name, certificate, options.Now, options.WarningDays, withHolder: true);

        /// <summary>
        /// The chain to the given roots (or the system's); with <paramref name="revocation"/>, online revocation: the
        /// whole check is bounded by the options' timeout (a revocation service that does not answer is a Fail saying
        /// so; the abandoned build ends on its own URL timeout).
        /// </summary>
        internal static PortalCheck ChainCheck(IReadOnlyList<EkengCertificate> certificates, SetupOptions options, bool revocation)
        {
            if (!revocation)
            {
                return BuildChains(certificates, options, revocation);
            }

            var work = System.Threading.Tasks.Task.Run(() => BuildChains(certificates, options, revocation: true));
            TimeSpan budget = options.RevocationTimeout + TimeSpan.FromSeconds(1);
            return work.Wait(budget) ? work.Result
                : new PortalCheck("Revocation", PortalCheckStatus.Fail, $"the revocation service did not answer within {budget.TotalSeconds:0} s",
                    "Check the network or proxy to the CA's CRL/OCSP addresses, then run again.");
        }

        private static PortalCheck BuildChains(IReadOnlyList<EkengCertificate> certificates, SetupOptions options, bool revocation)
        {
            string name = revocation ? "Revocation" : "CertificateChain";
            if (certificates.Count == 0)
            {
                return new PortalCheck(name, PortalCheckStatus.NotApplicable, "no certificate was read");
            }

            var problems = new List<string>();
            foreach (EkengCertificate certificate in certificates)
            {
                using (var chain = new X509Chain())
                {
                    chain.ChainPolicy.RevocationMode = revocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
                    chain.ChainPolicy.RevocationFlag = X509RevocationFlag.EntireChain;
                    chain.ChainPolicy.UrlRetrievalTimeout = options.RevocationTimeout;
                    chain.ChainPolicy.VerificationTime = options.Now.ToLocalTime();
                    chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
                    if (options.TrustedRoots.Count > 0)
                    {
                        chain.ChainPolicy.ExtraStore.AddRange(options.TrustedRoots.ToArray());
                        chain.ChainPolicy.VerificationFlags |= X509VerificationFlags.AllowUnknownCertificateAuthority;
                    }

                    chain.Build(certificate.Certificate);
                    X509ChainElement? top = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1] : null;
                    var statuses = chain.ChainStatus.Select(s => s.Status).ToList();
                    if (options.TrustedRoots.Count > 0)
                    {
                        statuses.RemoveAll(s => s == X509ChainStatusFlags.UntrustedRoot);
                        if (top is null || !options.TrustedRoots.Any(r => string.Equals(r.Thumbprint, top.Certificate.Thumbprint, StringComparison.OrdinalIgnoreCase)))
                        {
                            problems.Add($"{certificate.Kind}: does not chain to the roots given (top: {top?.Certificate.Subject ?? "none"})");
                            continue;
                        }
                    }

                    statuses.RemoveAll(s => s == X509ChainStatusFlags.NotTimeValid || s == X509ChainStatusFlags.NoError);
                    if (!revocation)
                    {
                        statuses.RemoveAll(s => s == X509ChainStatusFlags.RevocationStatusUnknown || s == X509ChainStatusFlags.OfflineRevocation);
                    }

                    if (statuses.Count > 0)
                    {
                        problems.Add($"{certificate.Kind}: {string.Join(", ", statuses.Distinct())}");
                    }
                }
            }

            string roots = options.TrustedRoots.Count > 0 ? "the roots given" : "the system's roots";
            if (problems.Count == 0)
            {
                return new PortalCheck(name, PortalCheckStatus.Pass, revocation ? "not revoked (checked online)" : $"chains to {roots}");
            }

            return new PortalCheck(name, PortalCheckStatus.Fail, string.Join("; ", problems),
                revocation ? "A revoked certificate needs a new card; an unreachable revocation service: check the network/proxy, then run again."
                    : "Give the card CA's root with -TrustedRootFile, or install the EKENG root certificates.");
        }

        private static PortalCheck StoreCheck(EkengCertificate? auth, SetupOptions options)
        {
            if (!HostOs.IsWindows)
            {
                return PortalReadiness.UserStoreCheck(null);
            }

            if (options.IsLocalSystem)
            {
                return new PortalCheck("CertificateStore", PortalCheckStatus.NotApplicable, BrowserChecks.SystemReason, BrowserChecks.RunAsUserSetting);
            }

            return auth is null
                ? new PortalCheck("CertificateStore", PortalCheckStatus.NotApplicable, "no certificate was read")
                : PortalReadiness.UserStoreCheck(PortalReadiness.InCurrentUserStore(auth.Thumbprint));
        }
    }
}
