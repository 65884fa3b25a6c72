using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;

namespace Ekeng.Tls
{
    /// <summary>
    /// HTTP over mutual TLS with the token's key. TLS 1.3 signs with RSA-PSS, which not every token has: unless the
    /// caller knows the token has CKM_RSA_PKCS_PSS, a handshake failure on the first connection (before any HTTP
    /// byte was sent, so even a POST is safe to send again) switches this handler to TLS 1.2 for good.
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal sealed class TokenTlsHandler : HttpMessageHandler
    {
        private readonly TokenClientCertificate _certificate;
        private readonly ServerTrust _trust;
        private readonly ILogger _logger;
        private SocketsHttpHandler _inner;
        private bool _tls12Only;
        private bool _connected;

        public TokenTlsHandler(TokenClientCertificate certificate, ServerTrust trust, bool? tokenSupportsRsaPss, ILogger logger)
        {
            _certificate = certificate;
            _trust = trust;
            _logger = logger;
            _tls12Only = tokenSupportsRsaPss == false;
            _inner = Create(certificate.Certificate, trust, _tls12Only ? SslProtocols.Tls12 : SslProtocols.Tls12 | SslProtocols.Tls13);
        }

        /// <summary>True after the fall-back to TLS 1.2 (or when the token has no RSA-PSS).</summary>
        public bool Tls12Only => _tls12Only;

        /// <summary>A handler presenting <paramref name="certificate"/> whatever CA names the server lists, the server checked against <paramref name="trust"/>.</summary>
        public static SocketsHttpHandler Create(X509Certificate2 certificate, ServerTrust trust, SslProtocols protocols)
        {
            return new SocketsHttpHandler
            {
                // Never followed: a redirect would replay a POST (an SMS code) and the card's login to another host.
                AllowAutoRedirect = false,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                SslOptions = new SslClientAuthenticationOptions
                {
                    EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = trust.CustomRoots is null ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
                    // Always the card's certificate: a server that lists other CAs then refuses it with its reason.
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                    RemoteCertificateValidationCallback = (sender, server, chain, errors) => CustomRootValidator.Validate(trust, server, chain, errors, (sender as SslStream)?.TargetHostName),
                },
            };
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var invoker = new HttpMessageInvoker(_inner, disposeHandler: false);
            try
            {
                HttpResponseMessage response = await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
                _connected = true;
                return response;
            }
            catch (HttpRequestException e) when (!_tls12Only && !_connected && e.HttpRequestError == HttpRequestError.SecureConnectionError && _trust.LastFailure is null)
            {
                _logger.LogWarning("The TLS 1.3 handshake with the card's key failed ({Message}); trying TLS 1.2 (PKCS#1 v1.5 signatures, for tokens without RSA-PSS).", e.InnerException?.Message ?? e.Message);
                _tls12Only = true;
                SocketsHttpHandler old = _inner;
                _inner = Create(_certificate.Certificate, _trust, SslProtocols.Tls12);
                old.Dispose();
                using var retry = new HttpMessageInvoker(_inner, disposeHandler: false);
                HttpResponseMessage response = await retry.SendAsync(request, cancellationToken).ConfigureAwait(false);
                _connected = true;
                return response;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _certificate.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
