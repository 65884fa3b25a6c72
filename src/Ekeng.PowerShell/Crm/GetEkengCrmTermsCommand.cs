namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads the contract terms of the EKENG customer system (version and text) that Register-EkengCrm -AcceptTerms accepts, logging in with the card's authentication key.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengCrmTerms", DefaultParameterSetName = ParameterSets.Card)]
    [OutputType(typeof(CrmTerms))]
    public sealed class GetEkengCrmTermsCommand : CrmCmdletBase
    {
        protected override void ProcessRecord()
        {
            try
            {
                RequireNamedService();
                EkengCertificate certificate = ResolveAuthCertificate();
                using (EkengSession session = OpenSession(certificate, feeService: false, out _))
                {
                    var crm = new CrmClient(session, CreateLogger<CrmClient>());
                    WriteObject(RunService(ct => crm.GetTermsAsync(ct).GetAwaiter().GetResult()));
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, InputTarget);
            }
        }
    }
}
