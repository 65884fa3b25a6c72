using System.Security.Cryptography.X509Certificates;
using Ekeng.Chromium;
using Ekeng.Http;

namespace Ekeng.Setup
{
    /// <summary>What Test-EkengSetup was asked: the warning window, the roots, revocation, the module, the context.</summary>
    public sealed class SetupOptions
    {
        public int WarningDays { get; set; } = ExpiryWarning.DefaultDays;

        /// <summary>The roots the certificates must chain to; none: the system's.</summary>
        public IReadOnlyList<X509Certificate2> TrustedRoots { get; set; } = Array.Empty<X509Certificate2>();

        /// <summary>Check revocation online (bounded by <see cref="RevocationTimeout"/>).</summary>
        public bool CheckRevocation { get; set; }

        public TimeSpan RevocationTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>The PKCS#11 library named by the caller, or null for the one found.</summary>
        public string? Pkcs11Module { get; set; }

        /// <summary>Windows: the process runs as LocalSystem (S-1-5-18): the per-user checks are NotApplicable.</summary>
        public bool IsLocalSystem { get; set; }

        /// <summary>The portal the browser policy check is about.</summary>
        public string PortalUrl { get; set; } = AutoSelectCertificatePolicy.DefaultUrl;

        public DateTime Now { get; set; } = DateTime.UtcNow;

        /// <summary>A service named to speak the module's CRM contract (-CrmUri / EKENG_CRM_URI); null: none named.</summary>
        public Uri? CrmUri { get; set; }

        /// <summary>The roots trusted for that service's certificate (-TrustedCaFile / EKENG_CA_FILE); null: the system's.</summary>
        public string? TrustedCaFile { get; set; }

        /// <summary>How long the contract probe, and the card login's read of the registration, may take.</summary>
        public TimeSpan ServiceTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>
        /// The AuthPIN for the two PIN-only checks (EkengRegistration, EkengFee), owned by the caller; null: they are
        /// NotApplicable. Used for one card login at most, never logged.
        /// </summary>
        public SecureString? Pin { get; set; }

        /// <summary>Tests: the card login's handler factory (null: the platform's).</summary>
        internal IClientCertificateHandlerFactory? HandlerFactory { get; set; }
    }
}
