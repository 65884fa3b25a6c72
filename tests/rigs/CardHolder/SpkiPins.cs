using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ekeng.Rigs.CardHolder;

/// <summary>
/// Chromium's --ignore-certificate-errors-spki-list values: base64 SHA-256 of a certificate's SubjectPublicKeyInfo.
/// Chromium matches them against the server's chain as it was sent, so for a PEM holding a CA (the sandbox's
/// sandbox-ca.pem) the server's own certificate is fetched from the form URL (loopback only), checked to chain to
/// that CA, and pinned as well.
/// </summary>
public static class SpkiPins
{
    public static string Hash(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public static X509Certificate2Collection ReadPem(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count == 0)
        {
            throw new ArgumentException($"'{path}' holds no PEM certificate.");
        }

        return certificates;
    }

    /// <summary>The pins for the certificates in <paramref name="pemPath"/>; with a CA among them, also the leaf that <paramref name="url"/>'s server presents.</summary>
    public static IReadOnlyList<string> FromPem(string pemPath, Uri url)
    {
        X509Certificate2Collection certificates = ReadPem(pemPath);
        var pins = certificates.Select(Hash).ToList();
        var authorities = certificates.Where(IsAuthority).ToList();
        if (authorities.Count > 0)
        {
            X509Certificate2 leaf = FetchServerCertificate(url, authorities);
            pins.Insert(0, Hash(leaf));
        }

        return pins.Distinct().ToList();
    }

    private static bool IsAuthority(X509Certificate2 c) =>
        c.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    /// <summary>The server certificate of an https URL on loopback, verified to chain to one of <paramref name="authorities"/>.</summary>
    public static X509Certificate2 FetchServerCertificate(Uri url, IReadOnlyList<X509Certificate2> authorities)
    {
        if (url.Scheme != Uri.UriSchemeHttps || !(url.IsLoopback))
        {
            throw new ArgumentException($"Fetching a server certificate is for https on loopback only, not '{url.GetLeftPart(UriPartial.Authority)}'.");
        }

        X509Certificate2? presented = null;
        string? chainError = null;
        using var client = new TcpClient();
        client.Connect(url.Host, url.Port);
        using var ssl = new SslStream(client.GetStream(), false, (_, cert, _, _) =>
        {
            if (cert is null)
            {
                chainError = "the server sent no certificate";
                return false;
            }

            presented = X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
            if (!chain.Build(presented))
            {
                chainError = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
                return false;
            }

            return true;
        });
        try
        {
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = url.Host });
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            throw new ArgumentException($"The server at {url.GetLeftPart(UriPartial.Authority)} does not present a certificate of the given CA: {chainError ?? e.Message}", e);
        }

        return presented ?? throw new ArgumentException("The server sent no certificate.");
    }
}
