namespace Ekeng.Http
{
    /// <summary>
    /// Makes an HTTP handler that authenticates with a card's certificate whose key stays on the card. Two
    /// implementations: <see cref="WindowsCertificateStoreHandlerFactory"/> (the certificate store's smart-card key;
    /// the vendor's CSP asks for the PIN) and, on .NET 8+ off Windows, <c>Ekeng.Tls.OpenSslEngineHandlerFactory</c>
    /// in Ekeng.Tls.dll (OpenSSL's pkcs11 ENGINE), loaded at run time by <see cref="ClientCertificateHandlers"/>.
    /// </summary>
    public interface IClientCertificateHandlerFactory
    {
        /// <summary>How the key is reached, for logs.</summary>
        string Name { get; }

        /// <summary>
        /// A handler presenting <paramref name="request"/>'s certificate and validating the server against
        /// <paramref name="trust"/>. Disposing the handler releases the key handle (the token's login may stay).
        /// </summary>
        HttpMessageHandler CreateHandler(ClientCertificateRequest request, ServerTrust trust, ILogger logger);
    }
}
