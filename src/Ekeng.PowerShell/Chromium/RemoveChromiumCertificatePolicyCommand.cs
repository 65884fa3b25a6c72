using Ekeng.Chromium;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes the module's AutoSelectCertificateForUrls entry for the EKENG portal from Chromium, Chrome and Edge's policy.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ChromiumCertificatePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ChromiumCertificatePolicy))]
    public sealed class RemoveChromiumCertificatePolicyCommand : ChromiumPolicyCmdletBase
    {
        protected override void ProcessRecord()
        {
            foreach (IChromiumPolicyTarget target in Targets())
            {
                Apply(target, t => t.Remove(Url, ShouldProcessOrExplain));
            }
        }
    }
}
