using Ekeng.Firefox;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the PKCS#11 modules (security devices) of Firefox profiles or of the machine's policy.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FirefoxCryptoModule", DefaultParameterSetName = FirefoxCmdletBase.ParameterSets.Profile)]
    [OutputType(typeof(FirefoxCryptoModule))]
    public sealed class GetFirefoxCryptoModuleCommand : FirefoxCmdletBase
    {
        /// <summary>Device names to list; wildcards allowed. All security devices by default.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override string Activity => "Reading the PKCS#11 modules of Firefox";

        protected override void ProcessRecord()
        {
            System.Func<string?, bool>? filter = NameFilter(Name);
            ForEachTarget(ResolveTargets(), target =>
            {
                ModuleResult[] found = target.Get(filter);
                if (found.Length == 0)
                {
                    // An empty answer is still an answer: say which place held no (matching) security device.
                    WriteVerbose($"{target.Description}: no {(Name is null ? "external PKCS#11 module" : "security device named " + string.Join(" or ", Name))} is registered.");
                }

                return found;
            });
        }
    }
}
