using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Certificates;
using Ekeng.Rigs.SoftHsm;
using Ekeng.Signing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Tests.Signing;

/// <summary>A software RSA key behind the module's key boundary (the token path is tested with SoftHSM): it counts its signatures.</summary>
internal sealed class SoftwareSigner : ISigningKeySource, ISigningKey
{
    private readonly RSA _key;

    public SoftwareSigner(bool expired = false)
    {
        Ca = SoftHsmCardFactory.CreateCa();
        _key = RSA.Create(2048);
        X509Certificate2 issued = SoftHsmCardFactory.Issue(Ca, _key, new RigHolder("ANI", "PETROSYAN", "1234567890"), isSigning: true);
        if (expired)
        {
            using RSA caKey = Ca.GetRSAPrivateKey()!;
            var request = new CertificateRequest(issued.SubjectName, _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.NonRepudiation, true));
            issued = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddDays(-1), [9, 8, 7]);
        }

        Certificate = CertificateService.Describe(issued.RawData, null, "Signature certificate", DateTime.UtcNow, NullLogger.Instance, [0x02])!;
    }

    public X509Certificate2 Ca { get; }

    public EkengCertificate Certificate { get; }

    public int Opened { get; private set; }

    public int Signed { get; private set; }

    public bool AlwaysAuthenticate => false;

    public string CaPem => Ca.ExportCertificatePem();

    public ISigningKey Open(EkengCertificate certificate, System.Security.SecureString pin)
    {
        Opened++;
        return this;
    }

    public byte[] SignDigestInfo(byte[] digestInfo)
    {
        Signed++;
        // CKM_RSA_PKCS over a DigestInfo: PKCS#1 v1.5 padding of the given bytes, as the token does.
        byte[] hash = digestInfo[^32..];
        Assert.Equal(CmsSignatureBuilder.DigestInfo(hash), digestInfo);
        return _key.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public void Dispose()
    {
    }
}
