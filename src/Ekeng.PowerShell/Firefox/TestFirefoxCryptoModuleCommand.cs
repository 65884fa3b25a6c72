using Ekeng.Firefox;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Tells whether the card's PKCS#11 module is registered in every Firefox profile, or by policy: $true or $false.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FirefoxCryptoModule", DefaultParameterSetName = FirefoxCmdletBase.ParameterSets.Profile)]
    [OutputType(typeof(bool))]
    [OutputType(typeof(FirefoxCryptoModule))]
    public sealed class TestFirefoxCryptoModuleCommand : FirefoxModuleCmdletBase
    {
        private int _targets;
        private int _present;

        /// <summary>
        /// One result per profile or policy (the FirefoxCryptoModule with a Present Boolean) instead of the one
        /// $true/$false over all of them that detection scripts (Intune) expect.
        /// </summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        protected override string Activity => "Testing the PKCS#11 module in Firefox";

        protected override bool EmitsObjects => false;

        protected override void ProcessRecord()
        {
            // The same path handling as Set-: %VARIABLES% expanded, or UnexpandedLibraryPath.
            string library = ResolveLibrary();

            var spec = new CryptoModuleSpec(Name, library);
            ForEachTarget(
                ResolveTargets(),
                target => new[] { target.Test(spec) },
                result =>
                {
                    _targets++;
                    bool present = result.Module?.Status == CryptoModuleStatus.Present;
                    if (present)
                    {
                        _present++;
                    }
                    else if (result.Module != null)
                    {
                        WriteVerbose($"{result.Module.Target}: {result.Module.Status} {result.Module.Message}".TrimEnd());
                    }

                    if (Detailed.IsPresent && result.Module != null)
                    {
                        PSObject detail = PSObject.AsPSObject(result.Module);
                        detail.Properties.Add(new PSNoteProperty("Present", present));
                        WriteObject(detail);
                    }
                });
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            WriteVerbose($"The module is registered in {_present} of {_targets} target(s).");
            if (!Detailed.IsPresent)
            {
                WriteObject(_targets > 0 && _present == _targets);
            }
        }
    }
}
