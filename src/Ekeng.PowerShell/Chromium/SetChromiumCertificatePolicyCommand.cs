using Ekeng.Chromium;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Makes Chromium, Chrome and Edge pick the card's certificate for the EKENG portal without a dialog (the AutoSelectCertificateForUrls policy).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ChromiumCertificatePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ChromiumCertificatePolicy))]
    public sealed class SetChromiumCertificatePolicyCommand : ChromiumPolicyCmdletBase
    {
        /// <summary>The common name of the card certificates' issuer (the card CA), e.g. from (Get-EkengCertificate).Certificate.Issuer.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string IssuerCommonName { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            foreach (IChromiumPolicyTarget target in Targets())
            {
                Apply(target, t => t.Set(Url, IssuerCommonName, ShouldProcessOrExplain));
            }
        }
    }
}
