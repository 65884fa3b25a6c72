using System.Management.Automation;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads the card holder's registration in the EKENG customer system (CRM), logging in with the card's authentication key.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengCrmRegistration", DefaultParameterSetName = ParameterSets.Card)]
    [OutputType(typeof(CrmRegistration), typeof(CrmTerms))]
    public sealed class GetEkengCrmRegistrationCommand : CrmCommandBase
    {
        /// <summary>Returns the contract terms (version and text) instead of the registration.</summary>
        [Parameter]
        public SwitchParameter Terms { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                EkengCertificate certificate = ResolveAuthCertificate(Card, Certificate, Registration);
                EkengSessionOptions options = SessionOptions(certificate, GetAuthPin(certificate), Registration, out string? trustedCaFile);
                using (EkengSession session = RunService(_ => EkengSession.Open(options, CreateLogger<EkengSession>())))
                {
                    var crm = new CrmClient(session, CreateLogger<CrmClient>());
                    if (Terms)
                    {
                        WriteObject(RunService(ct => crm.GetTermsAsync(ct).GetAwaiter().GetResult()));
                        return;
                    }

                    CrmRegistration registration = RunService(ct => crm.GetRegistrationAsync(ct).GetAwaiter().GetResult());
                    WriteObject(Remember(registration, certificate, trustedCaFile));
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, (object?)Registration ?? (object?)Certificate ?? Card);
            }
        }
    }
}
