using System.Runtime.Versioning;
using Ekeng.Pkcs11;

namespace Ekeng.Tls
{
    /// <summary>
    /// The card's certificate joined to its private key on the token (an OpenSSL engine key: every signature is a
    /// C_Sign on the token; nothing private can be exported).
    /// </summary>
    [SupportedOSPlatform("linux")]
    public sealed class TokenClientCertificate : IDisposable
    {
        private readonly SafeEvpPKeyHandle _handle;
        private readonly RSA _key;
        private readonly TokenLogin _login;

        private TokenClientCertificate(SafeEvpPKeyHandle handle, RSA key, X509Certificate2 certificate, TokenLogin login)
        {
            _handle = handle;
            _key = key;
            _login = login;
            Certificate = certificate;
        }

        /// <summary>The certificate with its token key attached.</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>The token's key, as .NET sees it (export of private parameters throws).</summary>
        public RSA Key => _key;

        /// <summary>Opens the key of <paramref name="request"/> through OpenSSL's pkcs11 engine.</summary>
        public static TokenClientCertificate Load(ClientCertificateRequest request, ILogger logger)
        {
            if (request.Pkcs11Module is null || request.TokenLabel is null)
            {
                throw new EkengException(ServiceErrors.ClientCertificateNotOnToken, $"The certificate '{request.Certificate.Subject}' was not read from a card token, so its key cannot be found.");
            }

            if (request.Pin is null || request.Pin.Length == 0)
            {
                // Never ask libp11 without a PIN: it would fall back to OpenSSL's terminal prompt (or fail headless).
                throw new EkengException(PinErrors.PinRequired, $"The PIN of '{request.TokenLabel}' is needed to log in with the card's key.")
                {
                    RecommendedAction = "Give the AuthPIN with -Pin (a SecureString) or run the command interactively to be asked for it.",
                    TargetObject = request.TokenLabel,
                };
            }

            if (request.Certificate.GetRSAPublicKey() is not RSA publicKey)
            {
                throw new EkengException(ServiceErrors.ClientCertificateNotRsa, "Only RSA card certificates are supported for the TLS login.");
            }

            // This command's own login, checked by the token (one C_Login after a C_Logout); the engine then finds the
            // key of the logged-in token without a PIN. The token's serial pins both to the same card.
            TokenLogin login = TokenLogin.Open(request.Pkcs11Module, request.TokenLabel, request.TokenSerial, request.Pin, logger);
            SafeEvpPKeyHandle? handle = null;
            RSA? key = null;
            try
            {
                string uri = Pkcs11Uri.PrivateKey(request.TokenLabel, login.SerialNumber, request.KeyId);
                handle = Pkcs11Engine.LoadPrivateKey(request.Pkcs11Module, request.TokenLabel, uri, logger);
                key = new RSAOpenSsl(handle);
                using (publicKey)
                {
                    if (!publicKey.ExportParameters(false).Modulus.AsSpan().SequenceEqual(key.ExportParameters(false).Modulus))
                    {
                        throw new EkengException(ServiceErrors.TokenKeyMismatch, $"The key found on '{request.TokenLabel}' does not belong to the certificate '{request.Certificate.Subject}'.")
                        {
                            TargetObject = request.TokenLabel,
                        };
                    }
                }

                X509Certificate2 withKey = request.Certificate.CopyWithPrivateKey(key);
                return new TokenClientCertificate(handle, key, withKey, login);
            }
            catch
            {
                key?.Dispose();
                handle?.Dispose();
                login.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Certificate.Dispose();
            _key.Dispose();
            _handle.Dispose();

            // Last: C_Logout. Nothing logged in outlives the command; the next one's PIN is checked again.
            _login.Dispose();
        }
    }
}
