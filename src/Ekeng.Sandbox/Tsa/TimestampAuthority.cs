using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;

namespace Ekeng.Sandbox.Tsa;

/// <summary>
/// An RFC 3161 time-stamping authority for tests: its own RSA key and certificate (extended key usage
/// timeStamping, critical), issued at start by the sandbox CA; SHA-256 imprints only; the time is the sandbox clock.
/// </summary>
public sealed class TimestampAuthority
{
    /// <summary>The TSA policy of the sandbox (a private arc: test tokens only).</summary>
    public const string Policy = "1.3.6.1.4.1.55555.1.3161";

    private readonly TimeStampTokenGenerator _generator;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private long _serial;

    public TimestampAuthority(string dataDirectory, TimeProvider clock)
    {
        _clock = clock;
        using X509Certificate2 ca = X509Certificate2.CreateFromPemFile(Path.Combine(dataDirectory, "sandbox-ca.pem"), Path.Combine(dataDirectory, "sandbox-ca.key"));
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Ekeng Sandbox TSA, O=Ekeng.PowerShell sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using ECDsa caKey = ca.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The sandbox CA has no ECDSA key.");
        DateTimeOffset notAfter = now.AddYears(1) < ca.NotAfter ? now.AddYears(1) : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using X509Certificate2 issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), notAfter, serial);
        Certificate = X509CertificateLoader.LoadCertificate(issued.RawData);
        var bcKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        var bcCertificate = new X509CertificateParser().ReadCertificate(issued.RawData);
        _generator = new TimeStampTokenGenerator(bcKey, bcCertificate, TspAlgorithms.Sha256, Policy);
        _generator.SetCertificates(Org.BouncyCastle.Utilities.Collections.CollectionUtilities.CreateStore(new[] { bcCertificate }));
    }

    /// <summary>The TSA's certificate (public part).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The DER TimeStampResp for a DER TimeStampReq: granted, or rejected with the reason (bad request, algorithm).</summary>
    public byte[] Respond(byte[] requestDer)
    {
        TimeStampRequest request;
        try
        {
            request = new TimeStampRequest(requestDer);
        }
        catch (Exception e) when (e is IOException || e is ArgumentException || e is InvalidCastException || e is TspException)
        {
            return new TimeStampResponseGenerator(_generator, TspAlgorithms.Allowed).GenerateFailResponse(Org.BouncyCastle.Asn1.Cmp.PkiStatus.Rejection, Org.BouncyCastle.Asn1.Cmp.PkiFailureInfo.BadDataFormat, "not a TimeStampReq").GetEncoded();
        }

        lock (_gate)
        {
            var responder = new TimeStampResponseGenerator(_generator, new[] { TspAlgorithms.Sha256 });
            return responder.Generate(request, BigInteger.ValueOf(++_serial), _clock.GetUtcNow().UtcDateTime).GetEncoded();
        }
    }
}
