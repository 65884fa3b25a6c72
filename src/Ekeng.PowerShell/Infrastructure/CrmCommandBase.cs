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
        protected SecureString GetAuthPin(EkengCertificate certificate)
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
        /// The session options of this command for the given login. A private CA (-TrustedCaFile, a registration's, or
        /// EKENG_CA_FILE when the CRM's address is named too) is trusted for the CRM's host only; EKENG_CA_FILE with the
        /// production address by omission is left out with a warning. <paramref name="trustedCaFile"/> is the CA file in
        /// effect (null: the system's roots).
        /// </summary>
        protected EkengSessionOptions SessionOptions(EkengCertificate certificate, SecureString pin, CrmRegistration? registration, out string? trustedCaFile)
        {
            Uri uri = EkengSessionOptions.ResolveCrmUri(CrmUri ?? registration?.CrmUri);
            bool named = EkengSessionOptions.IsCrmUriNamed(CrmUri)
                || (registration != null && !string.Equals(registration.CrmUri.Host, EkengSessionOptions.DefaultCrmUri.Host, StringComparison.OrdinalIgnoreCase));
            trustedCaFile = TrustedCaFile ?? registration?.TrustedCaFile;
            trustedCaFile = string.IsNullOrWhiteSpace(trustedCaFile) ? null : GetUnresolvedProviderPathFromPSPath(trustedCaFile);
            ServerTrust trust = EkengSessionOptions.ResolveTrust(trustedCaFile, uri, named, out string? ignored);
            if (ignored != null)
            {
                WriteWarning($"{EkengSessionOptions.CaFileVariable} ('{ignored}') is not used for {uri.Host}: a private CA is trusted only for a service named with it (-CrmUri or {EkengSessionOptions.CrmUriVariable}). The system's roots decide.");
            }
            else if (trustedCaFile is null && trust.CustomRoots != null)
            {
                trustedCaFile = trust.Source;
            }

            return new EkengSessionOptions(uri, trust)
            {
                ClientCertificate = ClientCertificateRequest.For(certificate, pin),
            };
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
