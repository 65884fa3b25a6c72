using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Diagnostics;
using Ekeng.Rigs.SoftHsm;
using Ekeng.Signing;

namespace Ekeng.Tests.Signing;

/// <summary>Detached CAdES-B-B (.p7s) judged by OpenSSL, and signatures made by OpenSSL judged by the module.</summary>
public sealed class CadesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ekeng-cades-").FullName;
    private readonly SoftwareSigner _signer = new();

    public void Dispose() => Directory.Delete(_dir, true);

    private string CaFile()
    {
        string ca = Path.Combine(_dir, "ca.pem");
        File.WriteAllText(ca, _signer.CaPem);
        return ca;
    }

    private SignedFile Sign(string input)
    {
        var service = new SigningService(null, _signer);
        DateTime now = DateTime.UtcNow;
        SigningJob job = service.Prepare(input, SigningService.DefaultOutput(input, null), false, now, null, null);
        using SigningSession session = service.Open(_signer.Certificate, new System.Security.SecureString());
        return service.Sign(session, job, now);
    }

    [SkippableFact]
    public void OpensslVerifiesTheDetachedSignatureAndRefusesATamperedFile()
    {
        Tools.Require("openssl", "openssl");
        string input = Path.Combine(_dir, "contract.docx");
        File.WriteAllBytes(input, RandomNumberGenerator.GetBytes(100_000));
        SignedFile signed = Sign(input);
        Assert.Equal(input + ".p7s", signed.SignatureFile);

        (int exit, string output) = Tools.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", signed.SignatureFile, "-content", input, "-CAfile", CaFile(), "-out", "/dev/null");
        Assert.True(exit == 0, output);
        Assert.Contains("Verification successful", output);

        // content-type, message-digest, signing-certificate-v2 and signing-time, SHA-256.
        (_, string dump) = Tools.Run("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", signed.SignatureFile);
        Assert.Contains("contentType", dump);
        Assert.Contains("messageDigest", dump);
        Assert.Contains("signingTime", dump);
        Assert.Contains("id-smime-aa-signingCertificateV2", dump);
        Assert.Contains("sha256", dump);

        byte[] bytes = File.ReadAllBytes(input);
        bytes[50_000] ^= 0x01;
        File.WriteAllBytes(input, bytes);
        (exit, output) = Tools.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", signed.SignatureFile, "-content", input, "-CAfile", CaFile(), "-out", "/dev/null");
        Assert.NotEqual(0, exit);

        using FileStream content = File.OpenRead(input);
        SignatureCheck check = new SignatureVerifier([_signer.Ca]).CheckDetached(input, signed.SignatureFile, File.ReadAllBytes(signed.SignatureFile), content);
        Assert.Equal(SignatureFailure.Integrity, check.Reason);
    }

    [SkippableFact]
    public void ASignatureMadeByOpensslWithASoftwareKeyVerifies()
    {
        Tools.Require("openssl", "openssl");
        using RSA key = RSA.Create(2048);
        X509Certificate2 certificate = SoftHsmCardFactory.Issue(_signer.Ca, key, new RigHolder("ARAM", "HAKOBYAN", "0987654321"), isSigning: true);
        string cert = Path.Combine(_dir, "signer.pem");
        string keyFile = Path.Combine(_dir, "signer.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        string input = Path.Combine(_dir, "file.bin");
        File.WriteAllBytes(input, RandomNumberGenerator.GetBytes(4096));
        string p7s = input + ".p7s";
        (int exit, string output) = Tools.Run("openssl", "cms", "-sign", "-binary", "-md", "sha256", "-in", input, "-signer", cert, "-inkey", keyFile, "-outform", "DER", "-out", p7s);
        Assert.True(exit == 0, output);

        using (FileStream content = File.OpenRead(input))
        {
            SignatureCheck check = new SignatureVerifier([_signer.Ca]).CheckDetached(input, p7s, File.ReadAllBytes(p7s), content);
            Assert.True(check.Valid, check.Detail);
            Assert.Equal("ARAM HAKOBYAN", check.SignerName);
            Assert.Equal("0987654321", check.PublicServiceNumber);
            Assert.NotNull(check.SigningTime);
        }

        // Another root: the same signature is intact but not trusted.
        using (FileStream content = File.OpenRead(input))
        {
            SignatureCheck check = new SignatureVerifier([SoftHsmCardFactory.CreateCa()]).CheckDetached(input, p7s, File.ReadAllBytes(p7s), content);
            Assert.Equal(SignatureFailure.Chain, check.Reason);
        }
    }

    [Fact]
    public void AnExpiredSigningCertificateIsRefusedBeforeTheToken()
    {
        var expired = new SoftwareSigner(expired: true);
        var service = new SigningService(null, expired);
        EkengException e = Assert.Throws<EkengException>(() => service.Open(expired.Certificate, new System.Security.SecureString()));
        Assert.Equal("SigningCertificateExpired", e.ErrorId);
        Assert.Equal(0, expired.Opened);
    }

    [Fact]
    public void AMissingFileIsRefusedBeforeTheToken()
    {
        var service = new SigningService(null, _signer);
        EkengException e = Assert.Throws<EkengException>(() => service.Prepare(Path.Combine(_dir, "nope.txt"), Path.Combine(_dir, "nope.txt.p7s"), false, DateTime.UtcNow, null, null));
        Assert.Equal("SignInputNotFound", e.ErrorId);
        Assert.Equal(0, _signer.Opened);
    }

    [Fact]
    public void ValidityAtSigningTimeIsChecked()
    {
        // A signature claiming a time after the certificate's end: not valid at the signing time.
        string input = Path.Combine(_dir, "late.txt");
        File.WriteAllText(input, "late");
        var service = new SigningService(null, _signer);
        DateTime late = _signer.Certificate.NotAfter.ToUniversalTime().AddDays(10);
        SigningJob job = service.Prepare(input, input + ".p7s", false, late, null, null);
        using (SigningSession session = service.Open(_signer.Certificate, new System.Security.SecureString()))
        {
            service.Sign(session, job, late);
        }

        using FileStream content = File.OpenRead(input);
        SignatureCheck check = new SignatureVerifier([_signer.Ca]).CheckDetached(input, input + ".p7s", File.ReadAllBytes(input + ".p7s"), content);
        Assert.Equal(SignatureFailure.Validity, check.Reason);
    }

    [Fact]
    public void TheDigestInfoIsSha256Der()
    {
        byte[] hash = SHA256.HashData("abc"u8);
        byte[] info = CmsSignatureBuilder.DigestInfo(hash);
        Assert.Equal("3031300d060960864801650304020105000420" + Convert.ToHexString(hash).ToLowerInvariant(), Convert.ToHexString(info).ToLowerInvariant());
    }
}
