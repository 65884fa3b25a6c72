using System.Security.Cryptography.X509Certificates;
using Ekeng.Pkcs11;

namespace Ekeng.Certificates
{
    /// <summary>A certificate on the card, with the holder as the manual shows it when the certificate is chosen.</summary>
    public sealed class EkengCertificate
    {
        private readonly byte[] _objectId;

        internal EkengCertificate(X509Certificate2 certificate, CertificateKind kind, bool kindMatchesKeyUsage, HolderIdentity holder, Pkcs11Token? token, string objectLabel, DateTime now, byte[]? objectId = null)
        {
            _objectId = objectId ?? Array.Empty<byte>();
            Certificate = certificate;
            Kind = kind;
            KindMatchesKeyUsage = kindMatchesKeyUsage;
            HolderName = holder.Name;
            PublicServiceNumber = holder.PublicServiceNumber;
            Token = token;
            TokenLabel = token?.Label;
            CardSerialNumber = token?.SerialNumber;
            ObjectLabel = objectLabel;
            DaysLeft = (int)Math.Floor((certificate.NotAfter.ToUniversalTime() - now.ToUniversalTime()).TotalDays);
        }

        /// <summary>The certificate itself (public part only: the key never leaves the card).</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>Authentication or Signing: from the token it was read from, cross-checked with the key usage.</summary>
        public CertificateKind Kind { get; }

        /// <summary>False when the key usage contradicts the token the certificate was found on.</summary>
        public bool KindMatchesKeyUsage { get; }

        /// <summary>The holder's name in Latin letters, e.g. <c>ARMEN SARGSYAN</c>.</summary>
        public string? HolderName { get; }

        /// <summary>The public service number (ՀԾՀ), 10 digits as text (leading zeros kept).</summary>
        public string? PublicServiceNumber { get; }

        public string Subject => Certificate.Subject;

        public string Issuer => Certificate.Issuer;

        public DateTime NotBefore => Certificate.NotBefore;

        public DateTime NotAfter => Certificate.NotAfter;

        /// <summary>Whole days until NotAfter; negative when expired.</summary>
        public int DaysLeft { get; }

        public string Thumbprint => Certificate.Thumbprint;

        public string SerialNumber => Certificate.SerialNumber;

        /// <summary>The token it was read from, e.g. <c>ARMID (AuthPIN)</c>.</summary>
        public string? TokenLabel { get; }

        /// <summary>The serial number of the card's tokens.</summary>
        public string? CardSerialNumber { get; }

        /// <summary>The certificate object's CKA_LABEL.</summary>
        public string ObjectLabel { get; }

        public Pkcs11Token? Token { get; }

        /// <summary>The certificate object's CKA_ID, hexadecimal (its private key on the token has the same).</summary>
        public string ObjectId => Ekeng.PcSc.Hex.Format(_objectId);

        /// <summary>The CKA_ID bytes (a copy), which name the private key in a PKCS#11 URI.</summary>
        public byte[] GetObjectId() => (byte[])_objectId.Clone();

        public override string ToString() => $"{Kind}: {HolderName} {PublicServiceNumber}".Trim();
    }
}
