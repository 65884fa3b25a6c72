using System.Security.Cryptography.X509Certificates;
using Ekeng.Cards;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;

namespace Ekeng.Certificates
{
    /// <summary>Reads the certificates of a card's tokens (public objects: no PIN).</summary>
    public sealed class CertificateService
    {
        private readonly ILogger _logger;
        private readonly IPkcs11ModuleLoader _loader;

        public CertificateService(ILogger? logger = null)
            : this(logger, new InteropModuleLoader(logger))
        {
        }

        internal CertificateService(ILogger? logger, IPkcs11ModuleLoader loader)
        {
            _logger = logger ?? NullLogger.Instance;
            _loader = loader;
        }

        /// <summary>The card's authentication certificate (the one a sign-in uses); AuthenticationCertificateNotFound when it holds none.</summary>
        public EkengCertificate GetAuthenticationCertificate(EkengCard card)
        {
            return GetCertificates(card).FirstOrDefault(c => c.Kind == CertificateKind.Authentication)
                ?? throw new EkengException(CertificateErrors.AuthenticationCertificateNotFound, $"The card '{card}' holds no authentication certificate.")
                {
                    RecommendedAction = "Check the card with Get-EkengCertificate.",
                    TargetObject = card.ToString(),
                };
        }

        /// <summary>An authentication certificate as given; NotAnAuthenticationCertificate for the signing one.</summary>
        public static EkengCertificate RequireAuthentication(EkengCertificate certificate)
        {
            if (certificate.Kind != CertificateKind.Authentication)
            {
                throw new EkengException(CertificateErrors.NotAnAuthenticationCertificate, $"The certificate '{certificate.Subject}' is a {certificate.Kind} certificate; the login uses the card's Authentication certificate.")
                {
                    RecommendedAction = "Pipe the card, or its certificate from Get-EkengCertificate -Kind Auth.",
                    TargetObject = certificate,
                };
            }

            return certificate;
        }

        /// <summary>The certificates of every token of <paramref name="card"/>, Authentication first.</summary>
        public IReadOnlyList<EkengCertificate> GetCertificates(EkengCard card)
        {
            if (card.Pkcs11Module is null || card.Tokens.Count == 0)
            {
                return Array.Empty<EkengCertificate>();
            }

            var result = new List<EkengCertificate>();
            using (IPkcs11Module module = _loader.Open(card.Pkcs11Module))
            {
                foreach (Pkcs11Token token in card.Tokens)
                {
                    Pkcs11Token? fresh = module.ReadToken(token);
                    if (fresh is null)
                    {
                        throw new EkengException(TokenErrors.TokenNotFound, $"The token '{token.Label}' (serial {token.SerialNumber}) is no longer present.")
                        {
                            TargetObject = token.Label,
                        };
                    }

                    IReadOnlyList<Pkcs11CertificateObject> objects;
                    try
                    {
                        objects = module.GetCertificates(fresh.SlotId);
                    }
                    catch (Pkcs11CallException e)
                    {
                        throw new EkengException(TokenErrors.Pkcs11Error, $"The certificates of '{token.Label}' could not be read: {e.Message}", e) { TargetObject = token.Label };
                    }

                    _logger.LogDebug("'{Label}' holds {Count} certificate object(s).", token.Label, objects.Count);
                    foreach (Pkcs11CertificateObject o in objects)
                    {
                        EkengCertificate? certificate = Describe(o.Value, fresh, o.Label, DateTime.UtcNow, _logger, o.Id);
                        if (certificate != null)
                        {
                            result.Add(certificate);
                        }
                    }
                }
            }

            return result.OrderBy(c => c.Kind == CertificateKind.Authentication ? 0 : c.Kind == CertificateKind.Signing ? 1 : 2).ToList();
        }

        /// <summary>Builds the typed certificate: kind from the token, cross-checked with the key usage; holder from the subject.</summary>
        internal static EkengCertificate? Describe(byte[] der, Pkcs11Token? token, string objectLabel, DateTime now, ILogger logger, byte[]? objectId = null)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = new X509Certificate2(der);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                logger.LogWarning("The certificate object '{Label}' on '{Token}' is not a readable X.509 certificate; skipped. {Message}", objectLabel, token?.Label, e.Message);
                return null;
            }

            CertificateKind fromUsage = KindFromKeyUsage(certificate);
            CertificateKind fromToken = token?.Kind == PinKind.Auth ? CertificateKind.Authentication : token?.Kind == PinKind.Sign ? CertificateKind.Signing : CertificateKind.Unknown;
            CertificateKind kind = fromToken != CertificateKind.Unknown ? fromToken : fromUsage;
            bool matches = fromToken == CertificateKind.Unknown || fromUsage == CertificateKind.Unknown || fromToken == fromUsage;
            if (!matches)
            {
                logger.LogWarning("The certificate '{Subject}' on '{Token}' has the key usage of a {Usage} certificate; shown as {Kind} (its token).", certificate.Subject, token?.Label, fromUsage, kind);
            }

            HolderIdentity holder;
            try
            {
                holder = HolderIdentity.FromSubject(certificate.SubjectName.RawData);
            }
            catch (FormatException)
            {
                holder = HolderIdentity.Empty;
            }

            return new EkengCertificate(certificate, kind, matches, holder, token, objectLabel, now, objectId);
        }

        /// <summary>nonRepudiation means a signature certificate; digitalSignature (or client authentication) without it, authentication.</summary>
        internal static CertificateKind KindFromKeyUsage(X509Certificate2 certificate)
        {
            X509KeyUsageExtension? usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            if (usage != null)
            {
                if ((usage.KeyUsages & X509KeyUsageFlags.NonRepudiation) != 0)
                {
                    return CertificateKind.Signing;
                }

                if ((usage.KeyUsages & X509KeyUsageFlags.DigitalSignature) != 0)
                {
                    return CertificateKind.Authentication;
                }
            }

            X509EnhancedKeyUsageExtension? eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            if (eku != null && eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == "1.3.6.1.5.5.7.3.2"))
            {
                return CertificateKind.Authentication;
            }

            return CertificateKind.Unknown;
        }
    }
}
