using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Payments;
using Ekeng.Portal;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Registers the card holder in the EKENG customer system (CRM): logs in with the card's authentication key over mutual TLS, registers the mobile number, accepts the terms and activates with the SMS code.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "EkengCrm", DefaultParameterSetName = ParameterSets.Card, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CrmRegistration), typeof(FeePayment), typeof(PortalGuide))]
    public sealed class RegisterEkengCrmCommand : FeeCommandBase
    {
        /// <summary>The holder's Armenian mobile number: '091 234567', '+374 91 234567' or '91234567'.</summary>
        [Parameter(Position = 0, ParameterSetName = ParameterSets.Card)]
        [Parameter(Position = 0, ParameterSetName = ParameterSets.Certificate)]
        [ValidateNotNullOrEmpty]
        public string? PhoneNumber { get; set; }

        /// <summary>The code of the SMS (SecureString).</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        [Parameter(ParameterSetName = ParameterSets.Registration)]
        [ValidateNotNull]
        public SecureString? SmsCode { get; set; }

        /// <summary>Accepts the contract terms without showing them.</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        public SwitchParameter AcceptTerms { get; set; }

        /// <summary>Asks for a new SMS code (the old one becomes void).</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        [Parameter(ParameterSetName = ParameterSets.Registration)]
        public SwitchParameter ResendSms { get; set; }

        /// <summary>Registers and pays in one step: a 4-digit SMS code, then the annual fee online (as Invoke-EkengFeePayment); no separate 6-digit activation.</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        [Parameter(ParameterSetName = ParameterSets.Registration)]
        public SwitchParameter PayOnline { get; set; }

        /// <summary>With -PayOnline: outputs the pending payment with its PaymentUrl at once (no browser, no wait).</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        [Parameter(ParameterSetName = ParameterSets.Registration)]
        public SwitchParameter NoWait { get; set; }

        /// <summary>With -PayOnline: how long to wait for the payment (default 15 minutes).</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        [Parameter(ParameterSetName = ParameterSets.Registration)]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

        /// <summary>With -PayOnline: writes the PDF receipt here once paid; an existing file is refused before anything is sent.</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        [Parameter(ParameterSetName = ParameterSets.Registration)]
        [ValidateNotNullOrEmpty]
        public string? ReceiptPath { get; set; }

        /// <summary>The real portal, guided, even when a service is named: checks what the portal login needs, opens crm.ekeng.am and lists the steps left. Without a named service this is what the command does anyway.</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        public SwitchParameter Portal { get; set; }

        /// <summary>The language of the guide's steps (hy or en); default: $PSUICulture.</summary>
        [Parameter]
        [ValidateSet("hy", "en", IgnoreCase = true)]
        public string? Language { get; set; }

        /// <summary>The parameters only a service that speaks the modelled API takes; on the real portal the holder gives them in the browser.</summary>
        private static readonly string[] ServiceParameters = { nameof(PhoneNumber), nameof(SmsCode), nameof(AcceptTerms), nameof(ResendSms), nameof(NoWait), nameof(ReceiptPath), nameof(Timeout) };

        protected override string? LanguageParameter => Language;

        /// <summary>The registration's service is the CRM: a silent one is CrmUnreachable (the fee base would call it the fee service).</summary>
        protected override EkengException ServiceUnreachable(EkengException transport) => transport;

        protected override void ProcessRecord()
        {
            try
            {
                if (Portal || NamedService(Registration) is null)
                {
                    RefuseServiceParameters(ServiceParameters, Portal);
                    WriteGuide(PayOnline ? PortalProcedure.RegisterAndPay : PortalProcedure.Registration, open: true);
                    return;
                }

                Register();
            }
            catch (EkengException e)
            {
                WriteEkengError(e, (object?)Registration ?? (object?)Certificate ?? Card);
            }
        }

        private void Register()
        {
            // Everything that can be checked without the network is checked first: nothing is sent on bad input.
            string? e164 = PhoneNumber is null ? null : ArmenianPhoneNumber.Normalize(PhoneNumber);
            Uri crmUri = NamedService(Registration)!;
            if (SmsCode != null)
            {
                CrmClient.ValidateCode(SmsCode, Registration?.CodeLength);
            }

            bool payOnline = PayOnline || Registration?.PayOnline == true;
            FeePaymentRequest? payment = payOnline
                ? new FeePaymentRequest { NoWait = NoWait, Timeout = CheckTimeout(Timeout), ReceiptPath = ResolveReceiptPath(ReceiptPath) }
                : null;

            if (e164 != null && !AcceptTerms && !HostIsInteractive())
            {
                throw new CrmException("TermsNotAccepted", EkengErrorKind.InvalidOperation, "Registering needs the contract terms accepted and this session cannot show them (non-interactive). Nothing was sent.", null)
                {
                    RecommendedAction = "Read the terms (Get-EkengCrmRegistration -Terms) and add -AcceptTerms.",
                };
            }

            EkengCertificate certificate = ResolveAuthCertificate(Card, Certificate, Registration);
            string holder = $"{certificate.HolderName} (ՀԾՀ {certificate.PublicServiceNumber})";
            string action = ResendSms ? "Send a new SMS code"
                : SmsCode != null ? "Activate the certificate with the SMS code"
                : e164 != null ? $"Register with phone {ArmenianPhoneNumber.Mask(e164)}, confirm the holder's data and accept the terms{(payOnline ? ", then pay the annual fee online" : string.Empty)}"
                : "Continue the registration";
            if (!ShouldProcess($"{holder}{(e164 is null ? string.Empty : ", phone " + ArmenianPhoneNumber.Mask(e164))} at {crmUri}", action))
            {
                return;
            }

            EkengSessionOptions options = Login(certificate, Registration, out string? trustedCaFile);
            using (EkengSession session = RunService(_ => EkengSession.Open(options, CreateLogger<EkengSession>())))
            {
                var crm = new CrmClient(session, CreateLogger<CrmClient>());
                CrmRegistration current = RunService(ct => crm.GetRegistrationAsync(ct).GetAwaiter().GetResult());
                if (payment != null && (current.Status == CrmRegistrationStatus.Active || current.Status == CrmRegistrationStatus.PendingPayment))
                {
                    WriteVerbose($"{holder} is registered ({current.Status}); going on to the payment.");
                    PayAndWrite(crm, certificate, trustedCaFile, payment);
                    return;
                }

                if (current.Status == CrmRegistrationStatus.Active || current.Status == CrmRegistrationStatus.PendingPayment)
                {
                    WriteVerbose($"{holder} is already registered ({current.Status}); nothing was changed.");
                    WriteObject(Remember(current, certificate, trustedCaFile));
                    return;
                }

                if (current.Status == CrmRegistrationStatus.NotRegistered)
                {
                    if (e164 is null)
                    {
                        throw new EkengException("PhoneNumberRequired", EkengErrorKind.InvalidArgument, $"{holder} is not registered yet: a mobile number is needed.")
                        {
                            RecommendedAction = "Add -PhoneNumber '091 234567'.",
                        };
                    }

                    CrmTerms terms = RunService(ct => crm.GetTermsAsync(ct).GetAwaiter().GetResult());
                    if (!AcceptTerms && !ConfirmTerms(terms, holder, e164))
                    {
                        throw new CrmException("TermsNotAccepted", EkengErrorKind.InvalidOperation, $"The contract terms ({terms.Version}) were not accepted; the registration was not sent.", null);
                    }

                    current = RunService(ct => crm.RegisterAsync(e164, terms.Version, payOnline, ct).GetAwaiter().GetResult());
                    if (current.Status != CrmRegistrationStatus.PendingCode)
                    {
                        WriteObject(Remember(current, certificate, trustedCaFile));
                        return;
                    }
                }
                else if (ResendSms)
                {
                    current = RunService(ct => crm.ResendAsync(ct).GetAwaiter().GetResult());
                }

                SecureString? code = SmsCode;
                if (code is null && HostIsInteractive())
                {
                    WriteVerbose($"An SMS code of {current.CodeLength} digits was sent to {current.Phone}.");
                    code = Prompt($"SMS code sent to {current.Phone} ({current.CodeLength} digits; Enter to finish later)");
                    if (code.Length == 0)
                    {
                        code = null;
                    }
                }

                if (code is null)
                {
                    WriteObject(Remember(current, certificate, trustedCaFile));
                    return;
                }

                CrmClient.ValidateCode(code, current.CodeLength);
                CrmRegistration done = RunService(ct => crm.ActivateAsync(code, current.CodeLength, ct).GetAwaiter().GetResult());
                if (done.Status == CrmRegistrationStatus.PendingPayment)
                {
                    // Register and pay: the 4-digit code is checked; the payment makes the registration Active.
                    PayAndWrite(crm, certificate, trustedCaFile, payment ?? new FeePaymentRequest { NoWait = NoWait, Timeout = CheckTimeout(Timeout), ReceiptPath = ResolveReceiptPath(ReceiptPath) });
                    return;
                }

                WriteObject(Remember(done, certificate, trustedCaFile));
            }
        }

        /// <summary>The payment of register-and-pay (the same flow as Invoke-EkengFeePayment, same login), then the registration as it is now.</summary>
        private void PayAndWrite(CrmClient crm, EkengCertificate certificate, string? trustedCaFile, FeePaymentRequest request)
        {
            var fees = new FeeClient(crm.Session, CreateLogger<FeeClient>());
            FeePayment? paid = PayFee(fees, certificate, request);
            if (paid != null && paid.Status == FeePaymentStatus.Pending)
            {
                // -NoWait or the timeout: the link to hand on; running the command again resumes the order.
                WriteObject(paid);
                return;
            }

            CrmRegistration after = RunService(ct => crm.GetRegistrationAsync(ct).GetAwaiter().GetResult());
            WriteObject(Remember(after, certificate, trustedCaFile));
        }

        private bool ConfirmTerms(CrmTerms terms, string holder, string e164)
        {
            if (!HostIsInteractive())
            {
                return false;
            }

            Host.UI.WriteLine($"Contract terms of the EKENG customer system, version {terms.Version}:");
            Host.UI.WriteLine(terms.Text);
            return ShouldContinue($"{holder}, phone {ArmenianPhoneNumber.Mask(e164)}: is the data right, and do you accept the terms version {terms.Version}?", "EKENG contract terms");
        }
    }
}
