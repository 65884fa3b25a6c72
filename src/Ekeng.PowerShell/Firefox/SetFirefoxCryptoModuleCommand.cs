using Ekeng.Firefox;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Loads the card's PKCS#11 module into Firefox: in every profile of the user, or machine-wide by policy.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "FirefoxCryptoModule", DefaultParameterSetName = FirefoxCmdletBase.ParameterSets.Profile, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FirefoxCryptoModule))]
    public sealed class SetFirefoxCryptoModuleCommand : FirefoxModuleCmdletBase
    {
        private readonly HashSet<string> _checkedLibraries = new HashSet<string>();

        /// <summary>Registers the library even when it does not exist or its CPU type does not match Firefox's.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override string Activity => "Registering the PKCS#11 module in Firefox";

        protected override void ProcessRecord()
        {
            // %ProgramFiles%-style variables are expanded before anything is written (Firefox loads the path
            // literally); one left unexpanded is refused with UnexpandedLibraryPath.
            string library = ResolveLibrary();

            foreach (string value in new[] { Name, library })
            {
                if (value.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0 || value.StartsWith("\"", System.StringComparison.Ordinal))
                {
                    ThrowArgument(BrowserErrors.InvalidModuleValue, $"'{value}' cannot be a device name or library path: it holds a line break or NUL, or starts with a quote (pkcs11.txt could not hold it).");
                }
            }

            var spec = new CryptoModuleSpec(Name, library);
            if (_checkedLibraries.Add(library))
            {
                try
                {
                    Service.CheckLibrary(library, Application, Force.IsPresent);
                }
                catch (EkengException e) when (IsWhatIf && BrowserErrors.ModuleLibraryNotFound.Is(e))
                {
                    // -WhatIf shows what would be written (the path, the file) even before the middleware is installed.
                    DrainLog();
                    WriteWarning($"{e.Message} Without -WhatIf the command refuses it (or registers it anyway with -Force).");
                }
                catch (EkengException e)
                {
                    ThrowEkengError(e, library);
                }

                DrainLog();
            }

            ForEachTargetWriting(ResolveTargets(), (target, ask) => new[] { target.Set(spec, ask) }, target => WarnIfSandboxed(target, library));
        }
    }
}
