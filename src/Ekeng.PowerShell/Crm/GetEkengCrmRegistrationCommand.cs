using Ekeng.Crm;
using Ekeng.Http;
using Ekeng.Portal;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads the card holder's registration in the EKENG customer system (CRM), logging in with the card's authentication key.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengCrmRegistration", DefaultParameterSetName = ParameterSets.Card)]
    [OutputType(typeof(CrmRegistration), typeof(PortalGuide))]
    public sealed class GetEkengCrmRegistrationCommand : CrmCmdletBase
    {
        /// <summary>The language of the guide's steps (hy or en) when no service is named; default: $PSUICulture.</summary>
        [Parameter]
        [ValidateSet("hy", "en", IgnoreCase = true)]
        public string? Language { get; set; }

        protected override string? LanguageParameter => Language;

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
                WriteEkengError(e, (object?)Registration ?? (object?)Certificate ?? Card);
            }
        }
    }
}
