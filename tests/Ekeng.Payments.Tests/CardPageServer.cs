using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ekeng.Payments.Tests;

/// <summary>
/// A tiny card page like the gateway's (docs/WIRE-CONTRACT.md): Kestrel on 127.0.0.1:0 with a test CA's certificate.
/// GET /pay: inputs pan, cardholder, expiry, cvc and button id=pay; a Luhn or expiry error re-shows the form with a
/// role=alert message; 4000000000003220 passes through a 3-D Secure page (id=code, id=confirm; code 123456); then a
/// 302 to the return URL on another origin (https://localhost:&lt;same port&gt;/return).
/// </summary>
public sealed class CardPageServer : IAsyncDisposable
{
    public const string ThreeDsCard = "4000000000003220";
    public const string ThreeDsCode = "123456";

    private readonly WebApplication _app;

    private CardPageServer(WebApplication app, Uri baseUri, string caPemPath, X509Certificate2 leaf)
    {
        _app = app;
        BaseUri = baseUri;
        CaPemPath = caPemPath;
        Leaf = leaf;
    }

    public Uri BaseUri { get; }

    /// <summary>The test CA's certificate as PEM (like the sandbox's sandbox-ca.pem).</summary>
    public string CaPemPath { get; }

    public X509Certificate2 Leaf { get; }

    /// <summary>What the last form post carried (never the pan or CVC: their last digits and lengths only).</summary>
    public string? LastSubmission { get; private set; }

    public Uri FormUrl(string order) => new(BaseUri, "/pay?order=" + order);

    public static async Task<CardPageServer> StartAsync(string folder)
    {
        (X509Certificate2 ca, X509Certificate2 leaf) = MakeCertificates();
        string caPem = Path.Combine(folder, "test-ca.pem");
        await File.WriteAllTextAsync(caPem, ca.ExportCertificatePem());

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(leaf)));
        WebApplication app = builder.Build();
        CardPageServer? server = null;
        app.MapGet("/pay", (HttpContext c) => Page(Form(c.Request.Query["order"].ToString(), null)));
        app.MapPost("/pay", async (HttpContext c) =>
        {
            IFormCollection f = await c.Request.ReadFormAsync();
            string order = c.Request.Query["order"].ToString();
            string pan = f["pan"].ToString().Replace(" ", string.Empty);
            string expiry = f["expiry"].ToString();
            server!.LastSubmission = $"pan …{(pan.Length >= 4 ? pan[^4..] : pan)} ({pan.Length}), cardholder {f["cardholder"]}, expiry {expiry}, cvc length {f["cvc"].ToString().Length}";
            if (!Luhn(pan))
            {
                return Page(Form(order, "Card number is not valid (Luhn check)."));
            }

            if (!System.Text.RegularExpressions.Regex.IsMatch(expiry, "^(0[1-9]|1[0-2])/[0-9]{2}$"))
            {
                return Page(Form(order, "Expiry must be MM/YY."));
            }

            if (pan == ThreeDsCard)
            {
                return Page($"""<h1>3-D Secure</h1><form method="post" action="/3ds?order={Enc(order)}"><input id="code" name="code" autocomplete="one-time-code"><button id="confirm" type="submit">Confirm</button></form>""");
            }

            return Return(c, order);
        });
        app.MapPost("/3ds", async (HttpContext c) =>
        {
            IFormCollection f = await c.Request.ReadFormAsync();
            string order = c.Request.Query["order"].ToString();
            return f["code"].ToString() == ThreeDsCode
                ? Return(c, order)
                : Page("""<p class="error" role="alert">3-D Secure code refused.</p>""");
        });
        app.MapGet("/return", (HttpContext c) => Page($"<p>Payment received for {Enc(c.Request.Query["orderId"].ToString())}: you may close this page.</p>", "Payment received"));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var uri = new Uri(address.Replace("[::]", "127.0.0.1"));
        server = new CardPageServer(app, new Uri($"https://127.0.0.1:{uri.Port}/"), caPem, leaf);
        return server;
    }

    private static IResult Return(HttpContext c, string order) =>
        Results.Redirect($"https://localhost:{c.Connection.LocalPort}/return?orderId={Uri.EscapeDataString(order)}");

    private static IResult Page(string body, string title = "Card page") =>
        Results.Content($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>{body}</body></html>", "text/html; charset=utf-8");

    private static string Form(string order, string? error) =>
        (error == null ? string.Empty : $"""<p class="error" role="alert">{Enc(error)}</p>""") +
        $"""
        <form method="post" action="/pay?order={Enc(order)}">
          <input name="pan" autocomplete="cc-number"><input name="cardholder"><input name="expiry" placeholder="MM/YY"><input name="cvc" type="password">
          <button id="pay" type="submit">Pay</button>
        </form>
        """;

    private static string Enc(string s) => HtmlEncoder.Default.Encode(s);

    private static bool Luhn(string pan)
    {
        if (pan.Length < 12 || !pan.All(char.IsAsciiDigit))
        {
            return false;
        }

        int sum = 0;
        for (int i = 0; i < pan.Length; i++)
        {
            int d = pan[pan.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private static (X509Certificate2 Ca, X509Certificate2 Leaf) MakeCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Ekeng test card page CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using X509Certificate2 signed = leafRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(leafKey);
        X509Certificate2 leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return (ca, leaf);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Leaf.Dispose();
    }
}
