using System.Security.Cryptography.X509Certificates;
using Ekeng.Setup;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Tells whether this machine and user can sign in to EKENG with the card today, and if not, why: one object per check, or one Boolean.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "EkengSetup")]
    [OutputType(typeof(PortalCheck))]
    [OutputType(typeof(bool))]
    public sealed class TestEkengSetupCommand : ServiceCmdletBase
    {
        /// <summary>A certificate that ends within this many days is a Warning (default 30).</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int WarningDays { get; set; } = ExpiryWarning.DefaultDays;

        /// <summary>Root certificate files (DER or PEM) the card's certificates must chain to, instead of the system's roots.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TrustedRootFile { get; set; }

        /// <summary>Checks revocation online (a few seconds at most).</summary>
        [Parameter]
        public SwitchParameter CheckRevocation { get; set; }

        /// <summary>The PKCS#11 library to use instead of the one found.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Pkcs11Module { get; set; }

        /// <summary>One Boolean: $true when no check fails (warnings allowed), for an Intune detection script.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            // -Pin serves the two checks that need the card login (EkengRegistration, EkengFee, against a service named with
            // -CrmUri that speaks the module's contract); without it they are NotApplicable, and no check ever prompts.
            if (Pin != null)
            {
                // A PIN of the wrong shape is a parameter error: the command ends before any card or token is read.
                RunOrThrow(() => PinCheck.RequireShape(null, "ARMID (AuthPIN)", Pin));
            }

            var options = new SetupOptions
            {
                WarningDays = WarningDays,
                CheckRevocation = CheckRevocation.IsPresent,
                Pkcs11Module = Pkcs11Module is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Pkcs11Module),
                IsLocalSystem = InteractiveHostRule.CurrentUserSid() == InteractiveHostRule.LocalSystemSid,
                TrustedRoots = LoadRoots(),
                Now = DateTime.UtcNow,
                CrmUri = CrmUri,
                TrustedCaFile = TrustedCaFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(TrustedCaFile),
                Pin = Pin,
            };

            IReadOnlyList<PortalCheck> checks = Array.Empty<PortalCheck>();
            RunOrThrow(() => checks = RunService(_ => new SetupChecker(CreateLogger<SetupChecker>()).Run(options)));
            DrainLog();
            if (Quiet.IsPresent)
            {
                foreach (PortalCheck failed in checks.Where(c => c.Status == PortalCheckStatus.Fail))
                {
                    WriteVerbose($"{failed.Name}: {failed.Detail}");
                }

                WriteObject(checks.All(c => c.Status != PortalCheckStatus.Fail));
                return;
            }

            WriteObject(checks, enumerateCollection: true);
        }

        /// <summary>A service failure that concerns the command itself (a -Pin outside the token's bounds) ends it.</summary>
        private void RunOrThrow(Action work)
        {
            try
            {
                work();
            }
            catch (EkengException e)
            {
                ThrowEkengError(e, e.TargetObject);
            }
        }

        private IReadOnlyList<X509Certificate2> LoadRoots()
        {
            var roots = new List<X509Certificate2>();
            foreach (string file in TrustedRootFile ?? Array.Empty<string>())
            {
                try
                {
                    roots.AddRange(RootCertificateFile.Read(SessionState.Path.GetUnresolvedProviderPathFromPSPath(file)));
                }
                catch (EkengException e)
                {
                    ThrowEkengError(e, e.TargetObject);
                }
            }

            return roots;
        }
    }
}
