using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>
/// One sandbox process per test class (two cores), with a trusted test CA and another, untrusted one, started with
/// --test-controls: tests move its clock forward (<see cref="AdvanceClock"/>) instead of sleeping.
/// </summary>
public class SandboxFixture : IDisposable
{
    private static int _next = RandomNumberGenerator.GetInt32(1_000_000);
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ekeng-sandbox-tests-" + Guid.NewGuid().ToString("N")[..8]);
    public TestPki Pki { get; }
    public TestPki OtherPki { get; }
    public SandboxProcess Sandbox { get; private set; }

    public SandboxFixture() : this([]) { }

    protected SandboxFixture(string[] extra)
    {
        Pki = new TestPki(Path.Combine(Root, "pki"));
        OtherPki = new TestPki(Path.Combine(Root, "pki"), "Other Test CA");
        Extra = ["--client-ca", Pki.CaPemPath, "--test-controls", .. extra];
        Sandbox = SandboxProcess.Start(Path.Combine(Root, "data"), Extra);
    }

    public string[] Extra { get; }

    public void Restart() => Restart(Extra);

    /// <summary>Kills the sandbox and starts it again on the same data directory with <paramref name="arguments"/>.</summary>
    public void Restart(string[] arguments)
    {
        Sandbox.Kill();
        Sandbox = SandboxProcess.Start(Path.Combine(Root, "data"), arguments);
    }

    /// <summary>Moves the sandbox's clock forward (code lifetimes, resend intervals, daily caps, payment sessions); returns its new time.</summary>
    public async Task<DateTimeOffset> AdvanceClock(TimeSpan by)
    {
        using HttpClient c = Sandbox.Client();
        using HttpResponseMessage r = await c.PostAsync(
            "/sandbox/test/clock?advanceSeconds=" + by.TotalSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture), null);
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetDateTimeOffset();
    }

    /// <summary>The SMS outbox of <paramref name="phone"/>, newest first.</summary>
    public async Task<List<string>> SmsCodes(string phone)
    {
        using HttpClient c = Sandbox.Client();
        JsonElement list = await c.GetFromJsonAsync<JsonElement>("/sandbox/sms?phone=" + Uri.EscapeDataString(phone));
        return [.. list.EnumerateArray().Select(m => m.GetProperty("code").GetString()!)];
    }

    /// <summary>A test control of the sandbox (POST /sandbox/test/...); returns the status code.</summary>
    public async Task<HttpStatusCode> Control(string pathAndQuery)
    {
        using HttpClient c = Sandbox.Client();
        using HttpResponseMessage r = await c.PostAsync(pathAndQuery, null);
        return r.StatusCode;
    }

    /// <summary>A fresh holder (unique ՀԾՀ) and a client for it.</summary>
    public (X509Certificate2 Cert, string Psn, HttpClient Client) NewHolder()
    {
        string psn = (1_000_000_000L + Interlocked.Increment(ref _next) * 7L % 8_999_999_999L).ToString(System.Globalization.CultureInfo.InvariantCulture);
        X509Certificate2 cert = Pki.Holder("ARMEN", "SARGSYAN", psn);
        return (cert, psn, Sandbox.Client(cert));
    }

    public static string PhoneFor(string psn) => "+37491" + psn[^6..];

    public async Task<string> LatestCode(string phone)
    {
        using HttpClient c = Sandbox.Client();
        JsonElement list = await c.GetFromJsonAsync<JsonElement>("/sandbox/sms?phone=" + Uri.EscapeDataString(phone));
        return list[0].GetProperty("code").GetString()!;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient c, string path, object body)
    {
        using HttpResponseMessage r = await c.PostAsJsonAsync(path, body);
        string text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> Get(HttpClient c, string path)
    {
        using HttpResponseMessage r = await c.GetAsync(path);
        string text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static object Registration(string phone, bool payOnline = false) =>
        new { phone, dataConfirmed = true, termsAccepted = true, termsVersion = "2026-01", payOnline };

    /// <summary>Registers and activates a fresh holder; returns its client.</summary>
    public async Task<(string Psn, HttpClient Client)> ActiveHolder()
    {
        (_, string psn, HttpClient client) = NewHolder();
        var (status, _) = await Post(client, "/api/v1/registration", Registration(PhoneFor(psn)));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var (s2, body) = await Post(client, "/api/v1/registration/activate", new { code = await LatestCode(PhoneFor(psn)) });
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal("Active", body.GetProperty("status").GetString());
        return (psn, client);
    }

    /// <summary>Posts the card page's form (a plain HTTP client, as a browser would).</summary>
    public async Task<HttpResponseMessage> PayOnPage(string paymentUrl, string pan, string expiry = "12/30", string cvc = "123")
    {
        using HttpClient web = Sandbox.Client(baseAddress: Sandbox.Gateway);
        var uri = new Uri(paymentUrl);
        string page = await web.GetStringAsync(uri);
        Assert.Contains("name=\"pan\"", page);
        Assert.Contains("id=\"pay\"", page);
        string orderId = System.Web.HttpUtility.ParseQueryString(uri.Query)["mdOrder"]!;
        return await web.PostAsync(uri.GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["mdOrder"] = orderId, ["pan"] = pan, ["cardholder"] = "Armen Sargsyan", ["expiry"] = expiry, ["cvc"] = cvc,
        }));
    }

    public void Dispose()
    {
        Sandbox.Dispose();
        try { Directory.Delete(Root, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
