namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads the card holder's registration in the EKENG customer system (CRM), logging in with the card's authentication key.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengCrmRegistration", DefaultParameterSetName = ParameterSets.Card)]
    [OutputType(typeof(CrmRegistration), typeof(PortalGuide))]
    public sealed class GetEkengCrmRegistrationCommand : GuidedCrmCmdletBase
    {
        protected override void ProcessRecord()
        {
            try
            {
                if (NamedService() is null)
                {
                    // The real EKENG: the registration is shown on crm.ekeng.am after the card login; nothing is read here.
                    WriteGuide(PortalProcedure.RegistrationStatus, open: false);
                    return;
                }

                EkengCertificate certificate = ResolveAuthCertificate();
                using (EkengSession session = OpenSession(certificate, feeService: false, out CardLogin login))
                {
                    var crm = new CrmClient(session, CreateLogger<CrmClient>());
                    CrmRegistration registration = RunService(ct => crm.GetRegistrationAsync(ct).GetAwaiter().GetResult());
                    WriteObject(Remember(registration, certificate, login));
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, InputTarget);
            }
        }
    }
}
