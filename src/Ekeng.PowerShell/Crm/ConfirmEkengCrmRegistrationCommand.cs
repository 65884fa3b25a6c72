namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Activates the certificate with the SMS code ("Activate the certificate" in the manual): logs in with the card's authentication key and sends the code; takes the registration Register-EkengCrm returned from the pipeline.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Confirm, "EkengCrmRegistration", DefaultParameterSetName = ParameterSets.Card, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CrmRegistration))]
    public sealed class ConfirmEkengCrmRegistrationCommand : CrmCmdletBase
    {
        /// <summary>The code of the SMS (SecureString): 6 digits, or 4 when registering and paying. Without it the host asks.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNull]
        public SecureString? SmsCode { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (NamedService() is null)
                {
                    RefuseServiceParameters(new[] { nameof(SmsCode) }, portalSwitch: false);
                    RequireNamedService();
                }

                // Checked before anything is sent: a code of the wrong shape costs no attempt, a missing one no login.
                if (SmsCode != null)
                {
                    CrmClient.ValidateCode(SmsCode, Registration?.CodeLength);
                }
                else if (!HostIsInteractive())
                {
                    Secrets.Require(null, CrmErrors.SmsCodeRequired, nameof(SmsCode), "The SMS code", "SmsCode", "Nothing was sent.");
                }

                ContinueStartedRegistration("Activate the certificate with the SMS code", "no SMS code is pending. Nothing was sent", (crm, certificate, current) =>
                {
                    if (current.Status != CrmRegistrationStatus.PendingCode)
                    {
                        WriteVerbose($"{Holder(certificate)} is registered already ({current.Status}); the code was not sent.");
                        return current;
                    }

                    SecureString code = Secrets.Require(SmsCode, CrmErrors.SmsCodeRequired, nameof(SmsCode), $"SMS code sent to {current.Phone} ({current.CodeLength} digits)", current.Phone ?? "SmsCode", "Nothing was sent.");
                    CrmClient.ValidateCode(code, current.CodeLength);
                    CrmRegistration done = RunService(ct => crm.ActivateAsync(code, current.CodeLength, ct).GetAwaiter().GetResult());
                    if (done.Status == CrmRegistrationStatus.PendingPayment)
                    {
                        WriteVerbose("Register and pay: the code is checked; paying the annual fee makes the registration Active (| Invoke-EkengFeePayment).");
                    }

                    return done;
                });
            }
            catch (EkengException e)
            {
                WriteEkengError(e, InputTarget);
            }
        }
    }
}
