using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Pkcs11;
using Ekeng.Portal;
using Ekeng.Security;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// What the CRM commands share: the card, certificate or registration from the pipeline resolved to the card's
    /// AUTHENTICATION certificate, the AuthPIN (parameter or host prompt, checked before use), and the logged-in
    /// session (-CrmUri / EKENG_CRM_URI / crm.ekeng.am; -TrustedCaFile / EKENG_CA_FILE / the system's roots).
    /// </summary>
    public abstract class CrmCommandBase : EkengCmdlet
    {
        private readonly List<SecureString> _prompted = new List<SecureString>();

        /// <summary>The holder's input, one parameter set each; every CRM and fee command takes the same three.</summary>
        public static class ParameterSets
        {
            public const string Card = "Card";
            public const string Certificate = "Certificate";
            public const string Registration = "Registration";
        }

        /// <summary>The card (Get-EkengCard). Without card, certificate or registration: the one card present.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = ParameterSets.Card)]
        [ValidateNotNull]
        public EkengCard? Card { get; set; }

        /// <summary>The card's authentication certificate (Get-EkengCertificate -Kind Auth).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.Certificate)]
        [ValidateNotNull]
        public EkengCertificate? Certificate { get; set; }

        /// <summary>A registration Register-EkengCrm or Get-EkengCrmRegistration returned (it carries its certificate, address and trust).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ParameterSets.Registration)]
        [ValidateNotNull]
        public CrmRegistration? Registration { get; set; }

        /// <summary>The CRM's address (https). Default: $env:EKENG_CRM_URI, else https://crm.ekeng.am/.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? CrmUri { get; set; }

        /// <summary>A PEM file whose CA certificates are the ONLY roots trusted for the CRM's host (no other host). Default: $env:EKENG_CA_FILE when the CRM's address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system's roots.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedCaFile { get; set; }

        /// <summary>The AuthPIN (SecureString). Without it the host asks.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Pin { get; set; }

        protected override void EndProcessing()
        {
            foreach (SecureString s in _prompted)
            {
                s.Dispose();
            }

            _prompted.Clear();
            base.EndProcessing();
        }

        /// <summary>
        /// True when this invocation only shows what it would do (-WhatIf, or $WhatIfPreference): then no PIN is asked,
        /// no card login happens and nothing is sent.
        /// </summary>
        protected bool IsWhatIfRun =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) ? w is SwitchParameter s && s.IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>The authentication certificate of a certificate, a card, a registration, or the one card present.</summary>
        protected EkengCertificate ResolveAuthCertificate(EkengCard? card, EkengCertificate? certificate, CrmRegistration? registration)
        {
            certificate ??= registration?.Certificate;
            if (certificate != null)
            {
                if (certificate.Kind != CertificateKind.Authentication)
                {
                    throw new EkengException("NotAnAuthenticationCertificate", EkengErrorKind.InvalidArgument, $"The certificate '{certificate.Subject}' is a {certificate.Kind} certificate; the CRM login uses the card's Authentication certificate.")
                    {
                        RecommendedAction = "Get-EkengCertificate -Kind Auth | " + MyInvocation.MyCommand.Name,
                        TargetObject = certificate,
                    };
                }

                return certificate;
            }

            if (registration != null)
            {
                throw new EkengException("RegistrationWithoutCertificate", EkengErrorKind.InvalidArgument, "This CrmRegistration does not say which card certificate logged in.")
                {
                    RecommendedAction = "Pipe the card or its certificate instead: Get-EkengCard | " + MyInvocation.MyCommand.Name,
                };
            }

            var inventory = new CardInventory(CreateLogger<CardInventory>());
            IReadOnlyList<EkengCard> cards = card != null ? new[] { card } : RunService(_ => inventory.GetCards(null, null)).Where(c => c.Tokens.Count > 0).ToList();
            if (cards.Count == 0)
            {
                throw new EkengException("CardNotFound", EkengErrorKind.ObjectNotFound, "No card with PKCS#11 tokens was found.")
                {
                    RecommendedAction = "Insert the ID card (Get-EkengCard lists what is seen).",
                };
            }

            if (cards.Count > 1)
            {
                throw new EkengException("MultipleCards", EkengErrorKind.InvalidArgument, $"{cards.Count} cards are present; say which one.")
                {
                    RecommendedAction = "Get-EkengCard -Reader '<reader>' | " + MyInvocation.MyCommand.Name,
                };
            }

            EkengCard only = cards[0];
            if (only.Tokens.Count == 0 && only.CardPresent && only.Reader != null)
            {
                only = RunService(_ => inventory.AttachTokens(only, only.Pkcs11Module));
            }

            var service = new CertificateService(CreateLogger<CertificateService>());
            EkengCertificate? auth = RunService(_ => service.GetCertificates(only)).FirstOrDefault(c => c.Kind == CertificateKind.Authentication);
            return auth ?? throw new EkengException("AuthenticationCertificateNotFound", EkengErrorKind.ObjectNotFound, $"The card '{only}' holds no authentication certificate.")
            {
                RecommendedAction = "Check the card with Get-EkengCertificate.",
                TargetObject = only.ToString(),
            };
        }

        /// <summary>The AuthPIN from -Pin or the host, checked (digits, the token's length bounds) before it is used.</summary>
        private SecureString GetAuthPin(EkengCertificate certificate)
        {
            string tokenLabel = certificate.TokenLabel ?? "ARMID (AuthPIN)";
            SecureString? pin = Pin;
            if (pin is null)
            {
                if (!HostIsInteractive())
                {
                    throw new EkengException("PinRequired", EkengErrorKind.InvalidArgument, $"The PIN of '{tokenLabel}' is needed to log in and this session cannot prompt for it (non-interactive). Nothing was sent.")
                    {
                        RecommendedAction = "Pass it as a SecureString with -Pin.",
                        TargetObject = tokenLabel,
                    };
                }

                pin = Prompt($"PIN of '{tokenLabel}' (AuthPIN)");
            }

            PinStatus? status = certificate.Token?.Pin;
            bool digits = certificate.Token?.RequiresDigits ?? true;
            int min = status?.MinLength > 0 ? status.MinLength : 4;
            int max = status?.MaxLength > 0 ? status.MaxLength : 16;
            if (pin.Length < min || pin.Length > max || (digits && !pin.IsDigitsOnly()))
            {
                throw new EkengException("PinInvalid", EkengErrorKind.InvalidArgument, $"The PIN of '{tokenLabel}' must be {(digits ? "digits, " : string.Empty)}{min} to {max} characters long. Nothing was sent to the card.")
                {
                    TargetObject = tokenLabel,
                };
            }

            if (status != null && (status.Locked || !status.Initialized))
            {
                throw new EkengException(status.Locked ? "PinLocked" : "PinNotInitialized", status.Locked ? EkengErrorKind.SecurityError : EkengErrorKind.InvalidOperation, $"The PIN of '{tokenLabel}' is {(status.Locked ? "blocked" : "not activated")}.")
                {
                    RecommendedAction = status.Locked ? "Unblock it with the PUK (Unblock-EkengPin)." : "Activate it with the PUK (Initialize-EkengPin).",
                    TargetObject = tokenLabel,
                };
            }

            return pin;
        }

        /// <summary>A secret typed by the user through the host (masked), disposed at the end of the command.</summary>
        protected SecureString Prompt(string text)
        {
            Host.UI.Write(text + ": ");
            SecureString value = Host.UI.ReadLineAsSecureString();
            _prompted.Add(value);
            RegisterSecret(value);
            return value;
        }

        /// <summary>
        /// The service named to speak the modelled API (-CrmUri, a registration's address, $env:EKENG_CRM_URI), or null:
        /// then the command serves the real EKENG, guided (<see cref="WriteGuide"/>), and sends nothing anywhere.
        /// </summary>
        protected Uri? NamedService(CrmRegistration? registration) => EkengSessionOptions.ResolveNamedCrmUri(CrmUri ?? registration?.CrmUri);

        /// <summary>
        /// The card login to the named service: the service first proves, with no card login, that it speaks the modelled
        /// API (<see cref="ServiceContract"/>); only then is the AuthPIN asked (parameter or host prompt, checked) and the
        /// session's options made. A private CA (-TrustedCaFile or a registration's, else EKENG_CA_FILE) is trusted for
        /// the service's host only. <paramref name="trustedCaFile"/> is the CA file in effect (null: the system's roots).
        /// </summary>
        protected EkengSessionOptions Login(EkengCertificate certificate, CrmRegistration? registration, out string? trustedCaFile)
        {
            Uri uri = NamedService(registration) ?? throw new InvalidOperationException("Login needs a named service.");
            trustedCaFile = TrustedCaFile ?? registration?.TrustedCaFile;
            trustedCaFile = string.IsNullOrWhiteSpace(trustedCaFile) ? null : GetUnresolvedProviderPathFromPSPath(trustedCaFile);
            ServerTrust trust = EkengSessionOptions.ResolveTrust(trustedCaFile, uri, serviceNamed: true, out _);
            if (trustedCaFile is null && trust.CustomRoots != null)
            {
                trustedCaFile = trust.Source;
            }

            // What the card login needs without the PIN (the TLS engine, the replies' JSON) is made ready meanwhile.
            _ = ClientCertificateHandlers.Prepare(certificate.Token?.ModulePath, CreateLogger<EkengSession>(), CrmClient.BodyTypes);
            var plain = new EkengSessionOptions(uri, trust) { GetAttempts = 1 };
            using (EkengSession contract = EkengSession.Open(plain, CreateLogger<EkengSession>()))
            {
                try
                {
                    string version = RunService(ct => ServiceContract.ProbeAsync(contract, ct).GetAwaiter().GetResult());
                    WriteVerbose($"{uri} speaks the modelled API {ServiceContract.Name} {version}.");
                }
                catch (EkengException e) when (e.ErrorId == "CrmUnreachable" || e.ErrorId == "CrmTimeout" || e.ErrorId == "CrmUnavailable")
                {
                    throw ServiceUnreachable(e);
                }
            }

            SecureString pin = GetAuthPin(certificate);
            return new EkengSessionOptions(uri, trust)
            {
                ClientCertificate = ClientCertificateRequest.For(certificate, pin),
            };
        }

        /// <summary>The error of this command's service when it does not answer at all (the CRM's own by default).</summary>
        protected virtual EkengException ServiceUnreachable(EkengException transport) => transport;

        /// <summary>The command's -Language as the user gave it (hy, en; another language gives English), or null.</summary>
        protected virtual string? LanguageParameter => null;

        /// <summary>The language of a guide: -Language where given, else $PSUICulture.</summary>
        private GuideLanguage GuideLanguageChoice => LanguageParameter is null
            ? GuideLanguages.FromCulture(Host?.CurrentUICulture)
            : (LanguageParameter.Equals("hy", StringComparison.OrdinalIgnoreCase) ? GuideLanguage.Hy : GuideLanguage.En);

        /// <summary>
        /// The real EKENG, guided: the holder's certificate read from the card (no PIN), what the portal login needs
        /// checked, the page opened in the default browser when <paramref name="open"/> and the session can show one,
        /// and a <see cref="PortalGuide"/> with the manual's remaining steps written. Nothing is sent anywhere.
        /// </summary>
        protected void WriteGuide(PortalProcedure procedure, bool open)
        {
            EkengCertificate certificate = ResolveAuthCertificate(Card, Certificate, Registration);
            var readiness = new PortalReadiness(CreateLogger<PortalReadiness>());
            IReadOnlyList<PortalCheck> checks = RunService(_ => readiness.Check(Card, certificate, DateTime.UtcNow));
            var guide = new PortalGuide(procedure, certificate.HolderName, certificate.PublicServiceNumber, GuideLanguageChoice, checks);
            foreach (PortalCheck failed in checks.Where(c => c.Status == PortalCheckStatus.Fail || c.Status == PortalCheckStatus.Warning))
            {
                WriteWarning($"{failed.Name}: {failed.Detail}{(failed.Remedy is null ? string.Empty : " (" + failed.Remedy + ")")}.");
            }

            WriteVerbose($"No service that speaks the modelled API is named (-CrmUri, {EkengSessionOptions.CrmUriVariable}): this is the real EKENG, where the holder does this in a browser at {guide.Uri}. Nothing was sent and no PIN was used.");
            if (!open)
            {
                WriteObject(guide);
                return;
            }

            if (!guide.Ready)
            {
                WriteWarning($"The portal login would fail until the checks above pass; {guide.Uri} was not opened.");
            }
            else if (!HostIsInteractive())
            {
                WriteVerbose($"Non-interactive: no browser is opened. Hand this address to the holder: {guide.Uri}");
            }
            else if (ShouldProcess(guide.Uri.AbsoluteUri, "Open in the default browser"))
            {
                string? reason = DefaultBrowser.TryOpen(guide.Uri);
                guide.Opened = reason is null;
                if (reason != null)
                {
                    WriteWarning($"No browser could be started ({reason}): open {guide.Uri} yourself.");
                }
            }

            WriteObject(guide);
        }

        /// <summary>
        /// The parameters that only a service speaking the modelled API takes: given without one (or with -Portal), the
        /// command ends before anything is read or sent, since on the real portal the holder types them in the browser.
        /// </summary>
        protected void RefuseServiceParameters(string[] serviceParameters, bool portalSwitch)
        {
            string[] given = serviceParameters.Where(MyInvocation.BoundParameters.ContainsKey).ToArray();
            if (given.Length == 0)
            {
                return;
            }

            string why = portalSwitch
                ? "-Portal guides the holder to the real portal"
                : $"no service that speaks this module's API is named (-CrmUri, {EkengSessionOptions.CrmUriVariable}), so this is the real EKENG, where the holder gives them in the browser at {EkengPortal.CrmUri}";
            ThrowEkengError(new EkengException("ServiceParameterWithoutService", EkengErrorKind.InvalidArgument, $"-{string.Join(", -", given)} go to a service that speaks this module's API, but {why}. Nothing was sent.")
            {
                RecommendedAction = $"Run {MyInvocation.MyCommand.Name} without -{string.Join(", -", given)} to check the card and open the real portal; or name a service that speaks the API (the sandbox) with -CrmUri.",
            });
        }

        /// <summary>The registration as output: it remembers the certificate and trust so that it can be piped back.</summary>
        protected static CrmRegistration Remember(CrmRegistration registration, EkengCertificate certificate, string? trustedCaFile)
        {
            registration.Certificate = certificate;
            registration.TrustedCaFile = trustedCaFile;
            return registration;
        }
    }
}
