using System.Net;
using Ekeng.Diagnostics;
using Ekeng.Http;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>A named service is used only after its contract document names this module's contract and major version.</summary>
public sealed class ServiceContractTests
{
    private static (EkengSession Session, StubHandler Stub) Make(Func<HttpRequestMessage, int, HttpResponseMessage> answer)
    {
        var stub = new StubHandler(answer);
        var options = new EkengSessionOptions(new Uri("https://crm.example/base/"), ServerTrust.System) { RetryDelay = TimeSpan.FromMilliseconds(5) };
        return (new EkengSession(stub, options), stub);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.7")]
    [InlineData("1")]
    public async Task The_Contract_And_Its_Major_Version_Are_Accepted(string version)
    {
        (EkengSession session, StubHandler stub) = Make((_, _) => StubHandler.Json(HttpStatusCode.OK, $$"""{"contract":"ekeng-powershell-crm","version":"{{version}}"}"""));
        Assert.Equal(version, await ServiceContract.ProbeAsync(session, CancellationToken.None));
        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/base/.well-known/ekeng-contract", request.Path);
    }

    public static TheoryData<HttpStatusCode, string, string> NotSpoken => new()
    {
        { HttpStatusCode.NotFound, "text/html", "<html>Not found</html>" },
        { HttpStatusCode.OK, "text/html", "<!DOCTYPE html><html><body>EKENG</body></html>" },
        { HttpStatusCode.OK, "application/json", """{"contract":"something-else","version":"1.0"}""" },
        { HttpStatusCode.OK, "application/json", """{"contract":"ekeng-powershell-crm","version":"2.0"}""" },
        { HttpStatusCode.OK, "application/json", """{"contract":"ekeng-powershell-crm"}""" },
        { HttpStatusCode.OK, "application/json", """{}""" },
        { HttpStatusCode.Forbidden, "application/json", """{"error":"ClientCertificateRequired","message":"x"}""" },
    };

    [Theory]
    [MemberData(nameof(NotSpoken))]
    public async Task Anything_Else_Is_CrmContractNotSpoken_After_One_Request(HttpStatusCode status, string mediaType, string body)
    {
        (EkengSession session, StubHandler stub) = Make((_, _) => new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) });
        var e = await Assert.ThrowsAsync<CrmException>(() => ServiceContract.ProbeAsync(session, CancellationToken.None));
        Assert.Equal("CrmContractNotSpoken", e.ErrorId);
        Assert.Equal(EkengErrorKind.ProtocolError, e.Kind);
        Assert.Contains("no PIN was used", e.Message);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task A_Session_With_The_Card_Login_Is_Never_Used_To_Ask()
    {
        var stub = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "{}"));
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=HOLDER 1234567890", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = csr.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var publicPart = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.RawData);
        var options = new EkengSessionOptions(new Uri("https://crm.example/"), ServerTrust.System)
        {
            ClientCertificate = new ClientCertificateRequest(publicPart, "/nonexistent/p11.so", "ARMID (AuthPIN)", [1], Ekeng.Testing.Rig.TokenRig.Secure("12345678")),
        };
        using var session = new EkengSession(stub, options);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceContract.ProbeAsync(session, CancellationToken.None));
        Assert.Empty(stub.Requests);
    }
}
