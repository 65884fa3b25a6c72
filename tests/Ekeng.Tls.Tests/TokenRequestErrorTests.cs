using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Testing.Rig;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Tls.Tests;

/// <summary>A request the card login cannot serve is refused before any token or OpenSSL engine is touched.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TokenRequestErrorTests
{
    private static X509Certificate2 EcCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Not RSA", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [SkippableFact]
    public void A_Certificate_Not_Read_From_A_Token_Is_ClientCertificateNotOnToken()
    {
        Requires.Linux();
        using X509Certificate2 certificate = EcCertificate();
        var request = new ClientCertificateRequest(certificate, null, null, null, TokenRig.Secure("24681357"));

        var e = Assert.ThrowsAny<EkengException>(() => TokenClientCertificate.Load(request, NullLogger.Instance));

        Assert.Equal("ClientCertificateNotOnToken", e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidArgument, e.Kind);
    }

    [SkippableFact]
    public void A_Certificate_Without_An_Rsa_Key_Is_ClientCertificateNotRsa_And_No_Module_Is_Loaded()
    {
        Requires.Linux();
        using X509Certificate2 certificate = EcCertificate();
        string missingModule = Path.Combine(Path.GetTempPath(), "ekeng-no-such-pkcs11-" + Guid.NewGuid().ToString("N") + ".so");
        var request = new ClientCertificateRequest(certificate, missingModule, "ARMID (AuthPIN)", [0x01], TokenRig.Secure("24681357"));

        var e = Assert.ThrowsAny<EkengException>(() => TokenClientCertificate.Load(request, NullLogger.Instance));

        // Not Pkcs11ModuleNotFound: the shape of the certificate is checked before the module is opened.
        Assert.Equal("ClientCertificateNotRsa", e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidData, e.Kind);
    }
}
