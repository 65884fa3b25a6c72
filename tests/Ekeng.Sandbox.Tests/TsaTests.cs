using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;

namespace Ekeng.Sandbox.Tests;

/// <summary>The sandbox's RFC 3161 time-stamping authority on the gateway listener.</summary>
public sealed class TsaTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    private HttpClient Gateway() => f.Sandbox.Client(baseAddress: f.Sandbox.Gateway);

    private async Task<TimeStampResponse> Ask(TimeStampRequest request)
    {
        using var content = new ByteArrayContent(request.GetEncoded());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using HttpResponseMessage response = await Gateway().PostAsync("tsa", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        return new TimeStampResponse(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GrantsASha256RequestWithItsNonceSignedByACertificateOfTheSandboxCa()
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        byte[] imprint = SHA256.HashData("signature value"u8);
        TimeStampRequest request = generator.Generate(TspAlgorithms.Sha256, imprint, BigInteger.ValueOf(4242));
        TimeStampResponse response = await Ask(request);
        response.Validate(request);   // granted, same imprint and nonce, certificate requested and present
        TimeStampToken token = response.TimeStampToken!;
        Assert.Equal(imprint, token.TimeStampInfo.GetMessageImprintDigest());
        Assert.InRange(token.TimeStampInfo.GenTime, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));

        string pem = await Gateway().GetStringAsync("tsa/certificate");
        X509Certificate2 tsa = X509Certificate2.CreateFromPem(pem);
        token.Validate(new X509CertificateParser().ReadCertificate(tsa.RawData));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(f.Sandbox.SandboxCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(tsa));
        Assert.Contains(tsa.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.8");
    }

    [Fact]
    public async Task RejectsAnImprintThatIsNotSha256()
    {
        TimeStampRequest request = new TimeStampRequestGenerator().Generate(TspAlgorithms.Sha1, SHA1.HashData("x"u8), BigInteger.One);
        TimeStampResponse response = await Ask(request);
        Assert.Null(response.TimeStampToken);
        Assert.Equal(2, response.Status);   // rejection
    }

    [Fact]
    public async Task AnotherContentTypeIs415()
    {
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await Gateway().PostAsync("tsa", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
