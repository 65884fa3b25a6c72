using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>
/// A private PKI (root → intermediate → server) and a one-page HTTPS server on 127.0.0.1 built on SslStream, which
/// sends the intermediate in its handshake when asked to (as a real server's chain file does).
/// </summary>
public sealed class TestTlsServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _context;
    private readonly CancellationTokenSource _stop = new();
    private int _served;

    public TestTlsServer(X509Certificate2 leafWithKey, X509Certificate2Collection sentIntermediates)
    {
        _context = SslStreamCertificateContext.Create(leafWithKey, sentIntermediates, offline: true);
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests received and answered with 200 (a client that refused the certificate sends none).</summary>
    public int Served => Volatile.Read(ref _served);

    public static X509Certificate2 MakeCa(string name, X509Certificate2? issuer, out RSA key)
    {
        key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (issuer is null)
        {
            return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(issuer, now.AddDays(-1), now.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost with the given EKUs (none: no EKU extension).</summary>
    public static X509Certificate2 MakeServer(X509Certificate2 issuer, params string[] ekus)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        if (ekus.Length > 0)
        {
            var oids = new OidCollection();
            foreach (string e in ekus)
            {
                oids.Add(new Oid(e));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 issued = request.Create(issuer, now.AddDays(-1), now.AddMonths(6), serial);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        // Re-imported so that the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient? client = null;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                // Stopped (Dispose): the loop ends.
                _stop.Cancel();
            }

            if (client is null)
            {
                continue;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                using (var ssl = new SslStream(client.GetStream()))
                {
                    try
                    {
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _context });
                        var head = new StringBuilder();
                        var one = new byte[1];
                        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await ssl.ReadAsync(one) == 1)
                        {
                            head.Append((char)one[0]);
                        }

                        // No full request head: the client closed after the handshake (it refused the certificate).
                        if (head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref _served);
                            await ssl.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}"));
                        }
                    }
                    catch (Exception e) when (e is IOException || e is System.Security.Authentication.AuthenticationException)
                    {
                        // The client refused the certificate: nothing served.
                    }
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
