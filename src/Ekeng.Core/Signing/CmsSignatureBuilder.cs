using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using IssuerAndSerialNumber = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;
using Time = Org.BouncyCastle.Asn1.Cms.Time;
using BcContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;

namespace Ekeng.Signing
{
    /// <summary>
    /// Builds a detached CMS SignedData (RFC 5652) of the CAdES baseline B-B profile with SHA-256 and RSA PKCS#1 v1.5:
    /// signed attributes content-type, message-digest, signing-certificate-v2 (ESSCertIDv2 with the certificate's
    /// SHA-256 and issuer/serial) and, when asked (a detached file signature, not PAdES), signing-time. The signature
    /// itself comes from a callback that receives the DigestInfo of the DER signed attributes, so the key can stay on
    /// a token.
    /// </summary>
    internal static class CmsSignatureBuilder
    {
        /// <summary>DER prefix of a DigestInfo with SHA-256 (RFC 8017 §9.2 note 1).</summary>
        private static readonly byte[] Sha256DigestInfoPrefix = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };

        /// <summary>The PKCS#1 v1.5 DigestInfo of a SHA-256 hash: what CKM_RSA_PKCS signs.</summary>
        public static byte[] DigestInfo(byte[] sha256)
        {
            if (sha256 is null || sha256.Length != 32)
            {
                throw new ArgumentException("A SHA-256 hash is 32 bytes.", nameof(sha256));
            }

            var result = new byte[Sha256DigestInfoPrefix.Length + 32];
            Buffer.BlockCopy(Sha256DigestInfoPrefix, 0, result, 0, Sha256DigestInfoPrefix.Length);
            Buffer.BlockCopy(sha256, 0, result, Sha256DigestInfoPrefix.Length, 32);
            return result;
        }

        /// <summary>The DER ContentInfo (SignedData, content absent) signing <paramref name="contentSha256"/>.</summary>
        public static byte[] Build(byte[] contentSha256, X509Certificate2 signer, IEnumerable<X509Certificate2> extraCertificates, DateTime? signingTime, Func<byte[], byte[]> signDigestInfo, Func<byte[], byte[]>? timestamp = null)
        {
            X509CertificateStructure certificate = X509CertificateStructure.GetInstance(signer.RawData);
            var issuerSerial = new IssuerAndSerialNumber(certificate.Issuer, certificate.SerialNumber);
            var sha256 = new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256, DerNull.Instance);

            var attributes = new Asn1EncodableVector
            {
                new BcAttribute(CmsAttributes.ContentType, new DerSet(PkcsObjectIdentifiers.Data)),
                new BcAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(contentSha256))),
                new BcAttribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(SigningCertificateV2Of(signer, certificate))),
            };
            if (signingTime.HasValue)
            {
                attributes.Add(new BcAttribute(CmsAttributes.SigningTime, new DerSet(new Time(signingTime.Value.ToUniversalTime()))));
            }

            // DerSet sorts its members: the bytes signed are exactly those encoded in the SignerInfo.
            var signedAttributes = new DerSet(attributes);
            byte[] signedAttributesDer = signedAttributes.GetEncoded(Asn1Encodable.Der);
            byte[] signature;
            using (SHA256 hash = SHA256.Create())
            {
                signature = signDigestInfo(DigestInfo(hash.ComputeHash(signedAttributesDer)));
            }

            // B-T: the signature-time-stamp (id-aa-signatureTimeStampToken), an unsigned attribute over the signature value.
            DerSet? unsigned = null;
            if (timestamp != null)
            {
                Asn1Object token = Asn1Object.FromByteArray(timestamp(signature));
                unsigned = new DerSet(new BcAttribute(PkcsObjectIdentifiers.IdAASignatureTimeStampToken, new DerSet(token)));
            }

            var signerInfo = new SignerInfo(
                new SignerIdentifier(issuerSerial),
                sha256,
                signedAttributes,
                new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
                new DerOctetString(signature),
                unsigned);

            var certificates = new Asn1EncodableVector { certificate };
            foreach (X509Certificate2 extra in extraCertificates)
            {
                if (!extra.RawData.AsSpan().SequenceEqual(signer.RawData))
                {
                    certificates.Add(X509CertificateStructure.GetInstance(extra.RawData));
                }
            }

            var signedData = new SignedData(
                new DerSet(sha256),
                new BcContentInfo(PkcsObjectIdentifiers.Data, null),
                new DerSet(certificates),
                null,
                new DerSet(signerInfo));
            return new BcContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
        }

        private static SigningCertificateV2 SigningCertificateV2Of(X509Certificate2 signer, X509CertificateStructure certificate)
        {
            byte[] certificateHash;
            using (SHA256 hash = SHA256.Create())
            {
                certificateHash = hash.ComputeHash(signer.RawData);
            }

            var issuer = new IssuerSerial(new GeneralNames(new GeneralName(certificate.Issuer)), certificate.SerialNumber);
            return new SigningCertificateV2(new[] { new EssCertIDv2(certificateHash, issuer) });
        }
    }
}
