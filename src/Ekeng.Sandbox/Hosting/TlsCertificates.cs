using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// The sandbox's own test CA and the server certificate of both listeners (127.0.0.1, ::1, localhost),
/// made on first start and kept in the data directory (keys 0600) so that a restart reuses them.
/// </summary>
public sealed class TlsCertificates
{
    public required X509Certificate2 Ca { get; init; }
    public required X509Certificate2 Server { get; init; }

    public static TlsCertificates LoadOrCreate(string directory)
    {
        string caPem = Path.Combine(directory, "sandbox-ca.pem");
        string caKey = Path.Combine(directory, "sandbox-ca.key");
        string serverPem = Path.Combine(directory, "sandbox-server.pem");
        string serverKey = Path.Combine(directory, "sandbox-server.key");

        X509Certificate2 ca;
        if (File.Exists(caPem) && File.Exists(caKey))
        {
            ca = X509Certificate2.CreateFromPemFile(caPem, caKey);
        }
        else
        {
            ca = CreateCa();
            WriteKey(caKey, ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(caPem, ca.ExportCertificatePem() + "\n");
            if (File.Exists(serverPem)) File.Delete(serverPem);
        }

        X509Certificate2? server = null;
        if (File.Exists(serverPem) && File.Exists(serverKey))
        {
            server = X509Certificate2.CreateFromPemFile(serverPem, serverKey);
            if (server.NotAfter < DateTime.Now.AddDays(1) || server.Issuer != ca.Subject) server = null;
        }
        if (server is null)
        {
            server = CreateServer(ca);
            WriteKey(serverKey, server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(serverPem, server.ExportCertificatePem() + "\n");
        }
        return new TlsCertificates { Ca = X509CertificateLoader.LoadCertificate(ca.RawData), Server = server };
    }

    /// <summary>
    /// A private key file: created new with mode 0600 by the open itself (O_CREAT|O_EXCL, mode given), so that it is
    /// never readable by others, not even between creation and a chmod; an old file is removed first.
    /// </summary>
    public static void WriteKey(string path, string pem)
    {
        if (File.Exists(path)) File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }

    private static X509Certificate2 CreateCa()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Ekeng Sandbox Test CA, O=Ekeng.PowerShell sandbox", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 made = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(made.RawData);
        return publicOnly.CopyWithPrivateKey(ImportCopy(key));
    }

    private static ECDsa ImportCopy(ECDsa key)
    {
        ECDsa copy = ECDsa.Create();
        copy.ImportParameters(key.ExportParameters(true));
        return copy;
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1, O=Ekeng.PowerShell sandbox", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset notAfter = now.AddYears(2) < ca.NotAfter ? now.AddYears(2) : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using X509Certificate2 signed = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        return signed.CopyWithPrivateKey(ImportCopy(key));
    }
}
