namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Starts the holder's registration in the EKENG customer system (CRM): logs in with the card's authentication key over mutual TLS, registers the mobile number and accepts the terms; EKENG sends the SMS code (Confirm-EkengCrmRegistration takes it). With no service named: the real portal, guided.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "EkengCrm", DefaultParameterSetName = ParameterSets.Card, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CrmRegistration), typeof(PortalGuide))]
    public sealed class RegisterEkengCrmCommand : GuidedCrmCmdletBase
    {
        /// <summary>The holder's Armenian mobile number: '091 234567', '+374 91 234567' or '91234567'.</summary>
        [Parameter(Position = 0, ParameterSetName = ParameterSets.Card)]
        [Parameter(Position = 0, ParameterSetName = ParameterSets.Certificate)]
        [ValidateNotNullOrEmpty]
        public string? PhoneNumber { get; set; }

        /// <summary>Accepts the contract terms (Get-EkengCrmTerms shows them) without showing them.</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        public SwitchParameter AcceptTerms { get; set; }

        /// <summary>Registers and pays (the manual's procedure 4): a 4-digit SMS code, no separate 6-digit activation; after Confirm-EkengCrmRegistration the registration waits for Invoke-EkengFeePayment.</summary>
        [Parameter]
        public SwitchParameter PayOnline { get; set; }

        /// <summary>The real portal, guided, even when a service is named: checks what the portal login needs, opens crm.ekeng.am and lists the steps left. Without a named service this is what the command does anyway.</summary>
        [Parameter(ParameterSetName = ParameterSets.Card)]
        [Parameter(ParameterSetName = ParameterSets.Certificate)]
        public SwitchParameter Portal { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (Portal || NamedService() is null)
                {
                    // The real EKENG: the holder types the number and accepts the terms in the browser.
                    RefuseServiceParameters(new[] { nameof(PhoneNumber), nameof(AcceptTerms) }, Portal);
                    WriteGuide(PayOnline ? PortalProcedure.RegisterAndPay : PortalProcedure.Registration, open: true);
                    return;
                }

                // Everything that can be checked without the network is checked first: nothing is sent on bad input.
                string? e164 = PhoneNumber is null ? null : ArmenianPhoneNumber.Normalize(PhoneNumber);
                if (e164 != null && !AcceptTerms && !HostIsInteractive())
                {
                    throw new CrmException(CrmErrors.TermsNotAccepted, "Registering needs the contract terms accepted and this session cannot show them (non-interactive). Nothing was sent.", null)
                    {
                        RecommendedAction = "Read the terms (Get-EkengCrmTerms) and add -AcceptTerms.",
                    };
                }

                EkengCertificate certificate = ResolveAuthCertificate();
                string holder = Holder(certificate);
                string action = e164 is null
                    ? "Log in with the card and read the registration"
                    : $"Register with phone {ArmenianPhoneNumber.Mask(e164)}, confirm the holder's data and accept the terms{(PayOnline ? " (register and pay: a 4-digit code, then the fee)" : string.Empty)}";
                if (!ShouldProcessOrExplain($"{holder} at {NamedService()}", action))
                {
                    // -WhatIf: no PIN asked or used, no login, nothing sent.
                    return;
                }

                using (EkengSession session = OpenSession(certificate, feeService: false, out CardLogin login))
                {
                    var crm = new CrmClient(session, CreateLogger<CrmClient>());
                    CrmRegistration current = RunService(ct => crm.GetRegistrationAsync(ct).GetAwaiter().GetResult());
                    if (current.Status == CrmRegistrationStatus.NotRegistered)
                    {
                        if (e164 is null)
                        {
                            throw new EkengException(CrmErrors.PhoneNumberRequired, $"{holder} is not registered yet: a mobile number is needed.")
                            {
                                RecommendedAction = "Add -PhoneNumber '091 234567'.",
                            };
                        }

                        CrmTerms terms = RunService(ct => crm.GetTermsAsync(ct).GetAwaiter().GetResult());
                        if (!AcceptTerms && !ConfirmTerms(terms, holder, e164))
                        {
                            throw new CrmException(CrmErrors.TermsNotAccepted, $"The contract terms ({terms.Version}) were not accepted; the registration was not sent.", null);
                        }

                        current = RunService(ct => crm.RegisterAsync(e164, terms.Version, PayOnline, ct).GetAwaiter().GetResult());
                    }
                    else
                    {
                        WriteVerbose($"{holder} is registered already ({current.Status}); nothing was changed.");
                    }

                    if (current.Status == CrmRegistrationStatus.PendingCode)
                    {
                        WriteVerbose($"An SMS code of {current.CodeLength} digits was sent to {current.Phone}: activate the certificate with it (| Confirm-EkengCrmRegistration -SmsCode ...); none came: | Send-EkengCrmSmsCode.");
                    }

                    WriteObject(Remember(current, certificate, login));
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, InputTarget);
            }
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
