using Ekeng.Payments;
using Ekeng.Security;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The parameters every CRM and fee command takes, and the three steps they share, each owned elsewhere: the card,
    /// certificate or registration from the pipeline resolved to the card's AUTHENTICATION certificate
    /// (<see cref="CardResolver"/>, <see cref="CertificateService"/>); the card login to the named service
    /// (<see cref="CardLogin"/>: contract first, then the AuthPIN from <see cref="SecretInput"/>); and, with no service
    /// named, the guided real portal (<see cref="WriteGuide"/>).
    /// </summary>
    public abstract class CrmCmdletBase : ServiceCmdletBase
    {

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

        /// <summary>"ARMEN SARGSYAN (ՀԾՀ 1234567890)".</summary>
        /// <summary>
        /// The commands that continue a started registration (the SMS code, its resend): the holder's certificate, the
        /// -WhatIf/-Confirm question for <paramref name="action"/> (without a yes: no PIN asked or used, no login,
        /// nothing sent), the card login, and the registration as EKENG has it, which <paramref name="then"/> acts on;
        /// what it returns is the output. A holder who never started is NoPendingCode (<paramref name="why"/> says what
        /// that means for the command).
        /// </summary>
        protected void ContinueStartedRegistration(string action, string why, Func<CrmClient, EkengCertificate, CrmRegistration, CrmRegistration> then)
        {
            EkengCertificate certificate = ResolveAuthCertificate();
            if (!ShouldProcessAtService(certificate, action))
            {
                return;
            }

            using (EkengSession session = OpenSession(certificate, feeService: false, out CardLogin login))
            {
                var crm = new CrmClient(session, CreateLogger<CrmClient>());
                CrmRegistration current = RunService(ct => crm.GetRegistrationAsync(ct).GetAwaiter().GetResult());
                if (current.Status == CrmRegistrationStatus.NotRegistered)
                {
                    throw new CrmException(CrmErrors.NoPendingCode, $"{Holder(certificate)} is not registered yet: {why}.", null)
                    {
                        RecommendedAction = "Start with Register-EkengCrm -PhoneNumber '091 234567'.",
                    };
                }

                WriteObject(Remember(then(crm, certificate, current), certificate, login));
            }
        }

        /// <summary>What the command was given (registration, certificate or card): the target of its errors.</summary>
        protected object? InputTarget => (object?)Registration ?? (object?)Certificate ?? Card;

        /// <summary>ShouldProcess for an act on the holder's record at the named service ("HOLDER (ՀԾՀ …) at https://…").</summary>
        protected bool ShouldProcessAtService(EkengCertificate certificate, string action) =>
            ShouldProcessOrExplain($"{Holder(certificate)} at {NamedService()}", action);

        protected static string Holder(EkengCertificate certificate) => $"{certificate.HolderName} (ՀԾՀ {certificate.PublicServiceNumber})";

        /// <summary>
        /// The service named to speak the modelled API (-CrmUri, a registration's address, $env:EKENG_CRM_URI), or null:
        /// then the command serves the real EKENG, guided (<see cref="WriteGuide"/>), and sends nothing anywhere.
        /// </summary>
        protected Uri? NamedService() => EkengSessionOptions.ResolveNamedCrmUri(CrmUri ?? Registration?.CrmUri);

        /// <summary>
        /// The authentication certificate of the piped certificate or registration, or of the piped card, or of the one
        /// card present: the card is resolved by <see cref="CardResolver.Single"/> (one set of errors for every command),
        /// its certificate read by <see cref="CertificateService.GetAuthenticationCertificate"/>.
        /// </summary>
        protected EkengCertificate ResolveAuthCertificate()
        {
            EkengCertificate? certificate = Certificate ?? Registration?.Certificate;
            if (certificate != null)
            {
                return CertificateService.RequireAuthentication(certificate);
            }

            if (Registration != null)
            {
                throw new EkengException(CrmErrors.RegistrationWithoutCertificate, "This CrmRegistration does not say which card certificate logged in.")
                {
                    RecommendedAction = "Pipe the card or its certificate instead: Get-EkengCard | " + MyInvocation.MyCommand.Name,
                };
            }

            var resolver = new CardResolver(new CardInventory(CreateLogger<CardInventory>()));
            EkengCard card = RunService(_ => resolver.Single(Card, null, pinTokensOnly: false, emptyReaderSkipped: false))!;
            var certificates = new CertificateService(CreateLogger<CertificateService>());
            return RunService(_ => certificates.GetAuthenticationCertificate(card));
        }

        /// <summary>
        /// The card login to the named service (<see cref="CardLogin"/>): the service first proves, with no card login,
        /// that it speaks the modelled API; only then is the AuthPIN asked (parameter or host prompt) and checked, and
        /// the session opened. A private CA (-TrustedCaFile or a registration's, else EKENG_CA_FILE) is trusted for the
        /// service's host only; <see cref="CardLogin.TrustedCaFile"/> is the one in effect. A fee command's silent
        /// service is FeeServiceUnreachable (<paramref name="feeService"/>), the CRM's CrmUnreachable.
        /// </summary>
        protected EkengSession OpenSession(EkengCertificate certificate, bool feeService, out CardLogin login)
        {
            Uri uri = NamedService() ?? throw new InvalidOperationException("A card login needs a named service.");
            string? trustedCaFile = TrustedCaFile ?? Registration?.TrustedCaFile;
            trustedCaFile = string.IsNullOrWhiteSpace(trustedCaFile) ? null : GetUnresolvedProviderPathFromPSPath(trustedCaFile);
            var cardLogin = new CardLogin(uri, trustedCaFile, CreateLogger<EkengSession>());
            login = cardLogin;
            _ = cardLogin.PrepareAsync(certificate);
            try
            {
                string version = RunService(ct => cardLogin.ProbeContractAsync(ct).GetAwaiter().GetResult());
                WriteVerbose($"{uri} speaks the modelled API {ServiceContract.Name} {version}.");
            }
            catch (EkengException e) when (feeService && (ServiceErrors.CrmUnreachable.Is(e) || ServiceErrors.CrmTimeout.Is(e) || ServiceErrors.CrmUnavailable.Is(e)))
            {
                throw FeeClient.Unreachable($"EKENG's fee service did not answer GET {ServiceContract.DocumentPath}: {e.Message}", e);
            }

            string tokenLabel = certificate.TokenLabel ?? "ARMID (AuthPIN)";
            SecureString pin = Secrets.RequireLoginPin(certificate.Token, tokenLabel, "AuthPIN", Pin, PinErrors.PinLocked, "Nothing was sent.");
            return RunService(_ => cardLogin.Open(certificate, pin));
        }

        /// <summary>
        /// A command that only a service speaking the modelled API can serve (the SMS code, the terms): with no service
        /// named it ends with ServiceParameterWithoutService before anything is read or sent.
        /// </summary>
        protected Uri RequireNamedService()
        {
            Uri? uri = NamedService();
            if (uri is null)
            {
                ThrowEkengError(new EkengException(CrmErrors.ServiceParameterWithoutService, $"{MyInvocation.MyCommand.Name} talks to a service that speaks this module's API, and none is named (-CrmUri, {EkengSessionOptions.CrmUriVariable}): this is the real EKENG, where the holder does this in the browser at {EkengPortal.CrmUri}. Nothing was sent.")
                {
                    RecommendedAction = $"Use the real portal (Get-EkengCard | Register-EkengCrm), or name a service that speaks the API (the sandbox) with -CrmUri.",
                });
            }

            return uri!;
        }

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
            EkengCertificate certificate = ResolveAuthCertificate();
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
            else if (ShouldProcessOrExplain(guide.Uri.AbsoluteUri, "Open in the default browser"))
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
            ThrowEkengError(new EkengException(CrmErrors.ServiceParameterWithoutService, $"-{string.Join(", -", given)} go to a service that speaks this module's API, but {why}. Nothing was sent.")
            {
                RecommendedAction = $"Run {MyInvocation.MyCommand.Name} without -{string.Join(", -", given)} to check the card and open the real portal; or name a service that speaks the API (the sandbox) with -CrmUri.",
            });
        }

        /// <summary>The registration as output: it remembers the certificate and trust so that it can be piped back.</summary>
        protected static CrmRegistration Remember(CrmRegistration registration, EkengCertificate certificate, CardLogin login)
        {
            registration.Certificate = certificate;
            registration.TrustedCaFile = login.TrustedCaFile;
            return registration;
        }
    }
}
