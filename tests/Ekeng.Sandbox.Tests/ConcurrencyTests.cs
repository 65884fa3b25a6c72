using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

public sealed class ConcurrencyTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task TwoHundredConcurrentRegistrations_FromDistinctCertificates_AllStored()
    {
        const int n = 200;
        var holders = Enumerable.Range(0, n).Select(_ => f.NewHolder()).ToList();
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(holders.Select(async h =>
        {
            using HttpResponseMessage r = await h.Client.PostAsJsonAsync("/api/v1/registration", SandboxFixture.Registration(SandboxFixture.PhoneFor(h.Psn)));
            return (h.Psn, r.StatusCode, await r.Content.ReadAsStringAsync());
        }));
        watch.Stop();
        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"{r.Psn}: {r.StatusCode} {r.Item3}"));

        // Every write is there: each holder's registration is PendingCode and each phone got exactly one SMS.
        await Task.WhenAll(holders.Select(async h =>
        {
            var (s, reg) = await SandboxFixture.Get(h.Client, "/api/v1/registration");
            Assert.Equal(HttpStatusCode.OK, s);
            Assert.Equal("PendingCode", reg.GetProperty("status").GetString());
            Assert.Equal(SandboxFixture.PhoneFor(h.Psn), reg.GetProperty("phone").GetString());
        }));
        using HttpClient anon = f.Sandbox.Client();
        foreach (var h in holders)
        {
            JsonElement sms = await anon.GetFromJsonAsync<JsonElement>("/sandbox/sms?phone=" + Uri.EscapeDataString(SandboxFixture.PhoneFor(h.Psn)));
            Assert.Equal(1, sms.GetArrayLength());
        }
        JsonElement logins = await anon.GetFromJsonAsync<JsonElement>("/sandbox/logins");
        var thumbprints = logins.EnumerateArray().Select(l => l.GetProperty("thumbprint").GetString()).ToHashSet();
        Assert.All(holders, h => Assert.Contains(h.Cert.Thumbprint, thumbprints));
        foreach (var h in holders) h.Client.Dispose();
        Console.WriteLine($"200 concurrent registrations: {watch.ElapsedMilliseconds} ms");
    }
}
