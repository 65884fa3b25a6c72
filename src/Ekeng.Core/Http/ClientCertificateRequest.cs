using System.Security.Cryptography.X509Certificates;

namespace Ekeng.Http
{
    /// <summary>
    /// What a TLS client-certificate handler needs to log in with a card: the certificate (public part), where its
    /// private key lives (PKCS#11 library, token label, CKA_ID) and the PIN that opens it. The key never leaves the
    /// token: the handler only asks the token to sign.
    /// </summary>
    public sealed class ClientCertificateRequest
    {
        public ClientCertificateRequest(X509Certificate2 certificate, string? pkcs11Module, string? tokenLabel, byte[]? keyId, SecureString? pin)
        {
            Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
            Pkcs11Module = pkcs11Module;
            TokenLabel = tokenLabel;
            KeyId = keyId ?? Array.Empty<byte>();
            Pin = pin;
        }

        /// <summary>The client certificate (public part only).</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>The PKCS#11 library the card was read through (OpenSSL engine's MODULE_PATH).</summary>
        public string? Pkcs11Module { get; }

        /// <summary>The token holding the key, e.g. <c>ARMID (AuthPIN)</c>.</summary>
        public string? TokenLabel { get; }

        /// <summary>
        /// The token's serial number (C_GetTokenInfo), when known: every ARMID card's token has the same label, so the
        /// serial is what names this card's token when two cards are inserted. Null: the label must be unique.
        /// </summary>
        public string? TokenSerial { get; set; }

        /// <summary>The CKA_ID shared by the certificate and its private key.</summary>
        public byte[] KeyId { get; }

        /// <summary>The PIN of the token (owned by the caller; handlers copy it only into zeroed buffers).</summary>
        public SecureString? Pin { get; }

        /// <summary>
        /// Whether the token signs with CKM_RSA_PKCS_PSS (TLS 1.3 needs it). Null when unknown: TLS 1.3 is tried and
        /// TLS 1.2 used after a handshake failure.
        /// </summary>
        public bool? TokenSupportsRsaPss { get; set; }

        public string Thumbprint => Certificate.Thumbprint;

        /// <summary>The request for a card certificate read by <see cref="Ekeng.Certificates.CertificateService"/>.</summary>
        public static ClientCertificateRequest For(Ekeng.Certificates.EkengCertificate certificate, SecureString? pin)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            return new ClientCertificateRequest(certificate.Certificate, certificate.Token?.ModulePath, certificate.TokenLabel, certificate.GetObjectId(), pin)
            {
                TokenSerial = string.IsNullOrEmpty(certificate.Token?.SerialNumber) ? null : certificate.Token!.SerialNumber,
            };
        }
    }
}
