using Ekeng.Firefox;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes the card's PKCS#11 module from Firefox profiles, or from the machine's policy.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "FirefoxCryptoModule", DefaultParameterSetName = FirefoxCmdletBase.ParameterSets.Profile, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FirefoxCryptoModule))]
    public sealed class RemoveFirefoxCryptoModuleCommand : FirefoxCmdletBase
    {
        /// <summary>The security device name to remove.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = CryptoModuleSpec.DefaultName;

        /// <summary>Also removes the modules of this library, whatever their name.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Library")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        protected override string Activity => "Removing the PKCS#11 module from Firefox";

        protected override void ProcessRecord()
        {
            string? library = Path is null ? null : LibraryArgument(Path, given: true);

            ForEachTargetWriting(ResolveTargets(), (target, ask) => new[] { target.Remove(Name, library, ask) });
        }
    }
}
