using System.Security.Cryptography.X509Certificates;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Http
{
    /// <summary>
    /// Windows: the card's certificate as the middleware propagated it into <c>CurrentUser\My</c>, with its smart-card
    /// key (CSP/KSP). With the command's PIN, the key is opened silently with it (<see cref="SmartCardPinBinder"/>), so
    /// the vendor's PIN window ("Cryptotech CSP") does not ask a second time and an unattended script runs; without
    /// a PIN, Schannel opens the key and the vendor's window asks. Not testable off Windows; kept small on purpose.
    /// </summary>
    public sealed class WindowsCertificateStoreHandlerFactory : IClientCertificateHandlerFactory
    {
        private readonly IWindowsSmartCardKeys _keys;

        public WindowsCertificateStoreHandlerFactory(IWindowsSmartCardKeys? keys = null)
        {
            _keys = keys ?? new WindowsSmartCardKeys();
        }

        public string Name => @"Windows certificate store (CurrentUser\My, smart-card key)";

        public HttpMessageHandler CreateHandler(ClientCertificateRequest request, ServerTrust trust, ILogger logger)
        {
            X509Certificate2 withKey = FindInStore(request.Thumbprint);
            logger.LogDebug("Client certificate {Thumbprint} from CurrentUser\\My (its key stays on the card).", withKey.Thumbprint);
            if (request.Pin != null)
            {
                new SmartCardPinBinder(_keys).Bind(withKey, request.Pin);
                logger.LogDebug("The card accepted the PIN; the TLS login signs with that opened key (no second PIN window).");
            }

            var handler = new HttpClientHandler
            {
                ClientCertificateOptions = ClientCertificateOption.Manual,
                AllowAutoRedirect = false,
                CheckCertificateRevocationList = trust.CustomRoots is null,
                ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => trust.Validate(certificate, chain, errors, request.RequestUri?.Host),
            };
            handler.ClientCertificates.Add(withKey);
            return handler;
        }

        /// <summary>The certificate of that thumbprint in CurrentUser\My, which must carry a private key (the card's).</summary>
        internal static X509Certificate2 FindInStore(string thumbprint) =>
            TryFindInStore(thumbprint) ?? throw new EkengException(ServiceErrors.ClientCertificateNotInStore, $@"The card's authentication certificate ({thumbprint}) is not in CurrentUser\My with its smart-card key.")
            {
                RecommendedAction = "Insert the card and let CryptoCard Suite propagate its certificates (or open certmgr.msc and check Personal > Certificates).",
                TargetObject = thumbprint,
            };

        /// <summary>The certificate of that thumbprint in CurrentUser\My with a private key, or null (the one lookup of the store).</summary>
        internal static X509Certificate2? TryFindInStore(string thumbprint)
        {
            using (var store = new X509Store(StoreName.My, StoreLocation.CurrentUser))
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                foreach (X509Certificate2 candidate in store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false))
                {
                    if (candidate.HasPrivateKey)
                    {
                        return candidate;
                    }

                    candidate.Dispose();
                }

                return null;
            }
        }
    }
}
