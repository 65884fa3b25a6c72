using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ekeng.Testing.Rig;

/// <summary>
/// A Kestrel on 127.0.0.1:0 with its own server CA, requiring a client certificate that chains to the given client
/// CA (custom chain validation). <c>GET /whoami</c> answers the client certificate's thumbprint; more routes by
/// <c>map</c>. Every client certificate seen is recorded.
/// </summary>
public sealed class MtlsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _thumbprints;

    private MtlsTestServer(WebApplication app, Uri baseUri, X509Certificate2 serverCa, string serverCaPem, ConcurrentQueue<string> thumbprints)
    {
        _app = app;
        _thumbprints = thumbprints;
        BaseUri = baseUri;
        ServerCa = serverCa;
        ServerCaPem = serverCaPem;
    }

    public Uri BaseUri { get; }

    public X509Certificate2 ServerCa { get; }

    public string ServerCaPem { get; }

    public static async Task<MtlsTestServer> StartAsync(X509Certificate2 clientCa, string directory, Action<WebApplication>? map = null, ClientCertificateMode mode = ClientCertificateMode.RequireCertificate)
    {
        (X509Certificate2 serverCa, X509Certificate2 serverCertificate) = MakeServerCertificate();
        string pem = Path.Combine(directory, "server-ca-" + Guid.NewGuid().ToString("N")[..6] + ".pem");
        Directory.CreateDirectory(directory);
        File.WriteAllText(pem, serverCa.ExportCertificatePem());

        var thumbprints = new ConcurrentQueue<string>();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            ClientCertificateMode = mode,
            ClientCertificateValidation = (certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(clientCa);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        })));
        WebApplication app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Connection.ClientCertificate is { } c)
            {
                thumbprints.Enqueue(c.Thumbprint);
            }

            await next();
        });
        app.MapGet("/whoami", (HttpContext c) => c.Connection.ClientCertificate?.Thumbprint ?? "(none)");
        map?.Invoke(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MtlsTestServer(app, new Uri(address + "/"), serverCa, pem, thumbprints);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The client certificate thumbprints seen so far, oldest first.</summary>
    public IReadOnlyList<string> Seen => _thumbprints.ToArray();

    internal static (X509Certificate2 Ca, X509Certificate2 Server) MakeServerCertificate()
    {
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Ekeng Test Server CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
        X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux takes an ephemeral key; a PFX round trip keeps it simple everywhere.
        return (X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)), X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null));
    }
}
