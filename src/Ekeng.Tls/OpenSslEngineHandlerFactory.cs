namespace Ekeng.Tls
{
    /// <summary>
    /// The card login off Windows on .NET 8+: OpenSSL 3's pkcs11 ENGINE with the card's PKCS#11 library, the key
    /// opened by a PKCS#11 URI (token label + CKA_ID, never a PIN), the PIN handed over as zeroed bytes. Created by
    /// name from <see cref="ClientCertificateHandlers"/>.
    /// </summary>
    public sealed class OpenSslEngineHandlerFactory : IClientCertificateHandlerFactory, IClientCertificatePreparation
    {
        public string Name => "OpenSSL 3 pkcs11 engine (libp11)";

        public HttpMessageHandler CreateHandler(ClientCertificateRequest request, ServerTrust trust, ILogger logger)
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new EkengException(ServiceErrors.ClientCertificateUnsupported, "Logging in with the card's key through OpenSSL's pkcs11 engine is supported on Linux only (Windows uses the certificate store).");
            }

            TokenClientCertificate certificate = TokenClientCertificate.Load(request, logger);
            return new TokenTlsHandler(certificate, trust, request.TokenSupportsRsaPss, logger);
        }

        /// <summary>Starts OpenSSL's pkcs11 engine with the token's library (no PIN, no key, no login): see <see cref="Pkcs11Engine.Prepare"/>.</summary>
        public void Prepare(string pkcs11Module, ILogger logger)
        {
            if (OperatingSystem.IsLinux())
            {
                Pkcs11Engine.Prepare(pkcs11Module, logger);
            }
        }
    }
}
