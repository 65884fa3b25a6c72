namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Asks EKENG to send a new SMS code for a registration waiting for one (the old code becomes void): "resend" in the manual.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "EkengCrmSmsCode", DefaultParameterSetName = ParameterSets.Card, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CrmRegistration))]
    public sealed class SendEkengCrmSmsCodeCommand : CrmCmdletBase
    {
        protected override void ProcessRecord()
        {
            try
            {
                RequireNamedService();
                EkengCertificate certificate = ResolveAuthCertificate();
                if (!ShouldProcessAtService(certificate, "Send a new SMS code (the old one becomes void)"))
                {
                    // -WhatIf: no PIN asked or used, no login, nothing sent.
                    return;
                }

                using (EkengSession session = OpenSession(certificate, feeService: false, out CardLogin login))
                {
                    var crm = new CrmClient(session, CreateLogger<CrmClient>());
                    CrmRegistration current = ReadStartedRegistration(crm, certificate, "there is no SMS code to send again");

                    if (current.Status == CrmRegistrationStatus.PendingCode)
                    {
                        current = RunService(ct => crm.ResendAsync(ct).GetAwaiter().GetResult());
                        WriteVerbose($"A new SMS code of {current.CodeLength} digits was sent to {current.Phone}.");
                    }
                    else
                    {
                        WriteVerbose($"{Holder(certificate)} is registered already ({current.Status}); no code was sent.");
                    }

                    WriteObject(Remember(current, certificate, login));
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, InputTarget);
            }
        }
    }
}
