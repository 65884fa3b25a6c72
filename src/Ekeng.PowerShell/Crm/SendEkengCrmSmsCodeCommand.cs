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
                ContinueStartedRegistration("Send a new SMS code (the old one becomes void)", "there is no SMS code to send again", (crm, certificate, current) =>
                {
                    if (current.Status != CrmRegistrationStatus.PendingCode)
                    {
                        WriteVerbose($"{Holder(certificate)} is registered already ({current.Status}); no code was sent.");
                        return current;
                    }

                    CrmRegistration sent = RunService(ct => crm.ResendAsync(ct).GetAwaiter().GetResult());
                    WriteVerbose($"A new SMS code of {sent.CodeLength} digits was sent to {sent.Phone}.");
                    return sent;
                });
            }
            catch (EkengException e)
            {
                WriteEkengError(e, InputTarget);
            }
        }
    }
}
