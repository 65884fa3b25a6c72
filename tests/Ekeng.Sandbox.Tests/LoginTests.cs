using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

public sealed class LoginTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/api/v1/me")]
    public async Task NoCertificate_403Required(string path)
    {
        using HttpClient c = f.Sandbox.Client();
        using HttpResponseMessage r = await c.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("ClientCertificateRequired", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/v1/me")]
    public async Task OtherCa_403Untrusted(string path)
    {
        using HttpClient c = f.Sandbox.Client(f.OtherPki.Holder("ARMEN", "SARGSYAN", "1234567890"));
        using HttpResponseMessage r = await c.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("ClientCertificateUntrusted", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/v1/me")]
    public async Task Expired_403Expired(string path)
    {
        var cert = f.Pki.Holder("ARMEN", "SARGSYAN", "1234567890", DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));
        using HttpClient c = f.Sandbox.Client(cert);
        using HttpResponseMessage r = await c.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("ClientCertificateExpired", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Me_ReadsHolderFromCertificate_AndLoginIsRecorded()
    {
        var cert = f.Pki.Holder("ARMEN", "SARGSYAN", "1234567890");
        using HttpClient c = f.Sandbox.Client(cert);
        var (status, me) = await SandboxFixture.Get(c, "/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ARMEN SARGSYAN", me.GetProperty("holderName").GetString());
        Assert.Equal("1234567890", me.GetProperty("publicServiceNumber").GetString());
        Assert.Equal(cert.Thumbprint, me.GetProperty("certificateThumbprint").GetString());
        Assert.Equal("NotRegistered", me.GetProperty("registration").GetProperty("status").GetString());

        string home = await c.GetStringAsync("/");
        Assert.Contains("EKENG customer system (sandbox)", home);
        Assert.Contains("ARMEN SARGSYAN", home);
        Assert.Contains("1234567890", home);

        using HttpClient anon = f.Sandbox.Client();
        JsonElement logins = await anon.GetFromJsonAsync<JsonElement>("/sandbox/logins");
        Assert.Contains(logins.EnumerateArray(), l => l.GetProperty("thumbprint").GetString() == cert.Thumbprint && l.GetProperty("path").GetString() == "/api/v1/me");
    }

    [Fact]
    public async Task Me_ReadsHolderFromAMultiValuedRdn()
    {
        var cert = f.Pki.HolderMultiValued("ANI", "GRIGORYAN", "0123456789");
        Assert.Contains("+", cert.Subject);
        using HttpClient c = f.Sandbox.Client(cert);
        var (status, me) = await SandboxFixture.Get(c, "/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ANI GRIGORYAN", me.GetProperty("holderName").GetString());
        Assert.Equal("0123456789", me.GetProperty("publicServiceNumber").GetString());
    }

    [Fact]
    public async Task SandboxPaths_NeedNoCertificate()
    {
        using HttpClient c = f.Sandbox.Client();
        JsonElement health = await c.GetFromJsonAsync<JsonElement>("/sandbox/health");
        Assert.Equal(f.Sandbox.Crm.ToString().TrimEnd('/'), health.GetProperty("crm").GetString());
        Assert.Equal(f.Sandbox.Gateway.ToString().TrimEnd('/'), health.GetProperty("gateway").GetString());
    }
}
