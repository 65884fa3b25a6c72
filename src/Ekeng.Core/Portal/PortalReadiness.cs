using System.Security.Cryptography.X509Certificates;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Firefox;
using Ekeng.Pkcs11;
using Ekeng.Platform;

namespace Ekeng.Portal
{
    /// <summary>
    /// The checks the module can make for the portal login without any PIN: the card in its reader, both PINs
    /// activated and not blocked, the authentication certificate valid, on Windows the certificate in the user's
    /// store with its key (what re-inserting the card does), and a browser that can use the card.
    /// </summary>
    public sealed class PortalReadiness
    {
        /// <summary>A certificate that ends within this many days gets a Warning.</summary>
        public const int WarningDays = 30;

        private readonly ILogger _logger;
        private readonly Func<string, PortalCheck> _browser;
        private readonly Func<string, bool?> _inUserStore;

        public PortalReadiness(ILogger? logger = null, Func<string, PortalCheck>? browserCheck = null, Func<string, bool?>? userStoreCheck = null)
        {
            _logger = logger ?? NullLogger.Instance;
            _browser = browserCheck ?? FirefoxCheck;
            _inUserStore = userStoreCheck ?? InCurrentUserStore;
        }

        /// <summary>Every check, in the manual's order.</summary>
        public IReadOnlyList<PortalCheck> Check(EkengCard? card, EkengCertificate certificate, DateTime now)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            var checks = new List<PortalCheck>();
            if (card?.Reader != null)
            {
                checks.Add(card.CardPresent
                    ? new PortalCheck("Card", PortalCheckStatus.Pass, $"in '{card.Reader}'")
                    : new PortalCheck("Card", PortalCheckStatus.Fail, $"not present in '{card.Reader}'", "Insert the ID card."));
            }

            checks.Add(PinCheck("AuthPIN", certificate.Token?.Pin ?? card?.AuthPin));
            checks.Add(PinCheck("SignPIN", card?.SignPin));
            checks.Add(CertificateCheck(certificate, now));
            checks.Add(UserStoreCheck(certificate));
            checks.Add(certificate.Token?.ModulePath is string library ? _browser(library)
                : new PortalCheck("Browser", PortalCheckStatus.NotApplicable, "the card's crypto module is not known"));
            return checks;
        }

        internal static PortalCheck PinCheck(string name, PinStatus? pin)
        {
            if (pin is null)
            {
                return new PortalCheck(name, PortalCheckStatus.NotApplicable, "not read from the card");
            }

            switch (pin.State)
            {
                case PinState.Locked:
                    return new PortalCheck(name, PortalCheckStatus.Fail, "blocked", "Unblock-EkengPin (with the PUK)");
                case PinState.NotInitialized:
                    return new PortalCheck(name, PortalCheckStatus.Fail, "not activated", "Initialize-EkengPin (with the Initial PUK)");
                case PinState.FinalTry:
                    return new PortalCheck(name, PortalCheckStatus.Warning, "one try left: a wrong PIN blocks it", "Type it carefully, or Set-EkengPin first");
                case PinState.CountLow:
                    return new PortalCheck(name, PortalCheckStatus.Warning, "a wrong PIN was typed before: fewer tries left");
                default:
                    return new PortalCheck(name, PortalCheckStatus.Pass, "activated");
            }
        }

        internal static PortalCheck CertificateCheck(EkengCertificate certificate, DateTime now) => CertificateCheck("Certificate", certificate, now, WarningDays);

        /// <summary>A certificate's validity: Fail outside it, Warning under <paramref name="warningDays"/> days left; the holder and ՀԾՀ in the detail (Test-EkengSetup's form).</summary>
        internal static PortalCheck CertificateCheck(string name, EkengCertificate certificate, DateTime now, int warningDays, bool withHolder = false)
        {
            DateTime utc = now.ToUniversalTime();
            string holder = withHolder ? $"{certificate.HolderName} {certificate.PublicServiceNumber}".Trim() + ", " : string.Empty;
            string range = $"valid {certificate.NotBefore:yyyy-MM-dd} to {certificate.NotAfter:yyyy-MM-dd}";
            if (certificate.NotBefore.ToUniversalTime() > utc || certificate.NotAfter.ToUniversalTime() < utc)
            {
                return new PortalCheck(name, PortalCheckStatus.Fail, $"{holder}not valid now ({range})", "A new certificate is issued by the ID card's issuer (a new card).");
            }

            int days = (int)Math.Floor((certificate.NotAfter.ToUniversalTime() - utc).TotalDays);
            return days < warningDays
                ? new PortalCheck(name, PortalCheckStatus.Warning, $"{holder}{days} days left ({range})", "Plan the card's renewal.")
                : new PortalCheck(name, PortalCheckStatus.Pass, $"{holder}{days} days left ({range})");
        }

        private PortalCheck UserStoreCheck(EkengCertificate certificate) => UserStoreCheck(_inUserStore(certificate.Thumbprint));

        /// <summary>The CertificateStore check from what the store said (null: no store on this OS).</summary>
        internal static PortalCheck UserStoreCheck(bool? present)
        {
            return present switch
            {
                null => new PortalCheck("CertificateStore", PortalCheckStatus.NotApplicable, "browsers on this system read the card through its PKCS#11 module, not a certificate store"),
                true => new PortalCheck("CertificateStore", PortalCheckStatus.Pass, "the certificate is in CurrentUser\\My with its key"),
                _ => new PortalCheck("CertificateStore", PortalCheckStatus.Fail, "the certificate is not in CurrentUser\\My with its key: browsers cannot offer it", "Remove the card and insert it again (the system copies its certificates), then run this again."),
            };
        }

        /// <summary>Windows: the certificate in CurrentUser\My with a private key; null elsewhere.</summary>
        internal static bool? InCurrentUserStore(string thumbprint)
        {
            if (!HostOs.IsWindows)
            {
                return null;
            }

            using (X509Certificate2? found = Http.WindowsCertificateStoreHandlerFactory.TryFindInStore(thumbprint))
            {
                return found != null;
            }
        }

        /// <summary>Off Windows: a Firefox profile or policy that loads the card's PKCS#11 module (the check Test-EkengSetup makes too).</summary>
        private PortalCheck FirefoxCheck(string library)
        {
            if (HostOs.IsWindows)
            {
                return new PortalCheck("Browser", PortalCheckStatus.Pass, "Chrome and Edge use the certificate store; Firefox can too (security.enterprise_roots / Set-FirefoxCryptoModule)");
            }

            PortalCheck firefox = Setup.BrowserChecks.Firefox(library, MozillaEnvironment.Current(), _logger, perUserApplicable: true, requireEveryProfile: false);
            return new PortalCheck("Browser", firefox.Status == PortalCheckStatus.NotApplicable ? PortalCheckStatus.Fail : firefox.Status, firefox.Detail, firefox.Remedy ?? "Set-FirefoxCryptoModule");
        }
    }
}
