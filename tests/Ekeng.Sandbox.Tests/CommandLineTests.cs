using System.Diagnostics;
using System.Net;
using System.Text;

namespace Ekeng.Sandbox.Tests;

/// <summary>
/// The sandbox's command line (read by the configuration's command-line provider and bound to its options): every
/// form its README documents is read, anything else ends it with exit code 2 and the reason, before it listens.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ekeng-sandbox-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Theory]
    [InlineData("Unknown option --no-such-option.", "--no-such-option", "1")]
    [InlineData("Unknown option stray.", "stray")]
    [InlineData("--sms-lifetime needs a value.", "--sms-lifetime")]
    [InlineData("--sms-daily-limit 0: a whole number from 1 to 1000.", "--sms-daily-limit", "0")]
    [InlineData("--sms-daily-limit ten: a whole number from 1 to 1000.", "--sms-daily-limit=ten")]
    [InlineData("--usable-delay -01:00:00: not a time span (hh:mm:ss).", "--usable-delay", "-01:00:00")]
    [InlineData("--resend-interval soon: not a time span (hh:mm:ss).", "--resend-interval", "soon")]
    [InlineData("--test-controls maybe: not a valid value.", "--test-controls=maybe")]
    [InlineData("no such file.", "--client-ca", "/nonexistent/ca.pem")]
    public void A_Refused_Command_Line_Exits_2_With_The_Reason(string reason, params string[] extra)
    {
        var output = new StringBuilder();
        using Process p = SandboxProcess.StartRaw(Path.Combine(_root, "data"), extra, output);
        if (!p.WaitForExit(30_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the sandbox did not exit:\n" + output);
        }

        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        lock (output)
        {
            Assert.Contains(reason, output.ToString());
            Assert.Contains("Usage: Ekeng.Sandbox", output.ToString());
            Assert.DoesNotContain("Now listening", output.ToString());
        }
    }

    [Fact]
    public async Task Client_Ca_Repeated_In_Both_Forms_Trusts_Every_Ca_And_A_Bare_Flag_Does_Not_Swallow_The_Next_Switch()
    {
        var pki = new TestPki(Path.Combine(_root, "pki"));
        var other = new TestPki(Path.Combine(_root, "pki"), "Other Test CA");
        using SandboxProcess sandbox = SandboxProcess.Start(Path.Combine(_root, "data"), "--client-ca", pki.CaPemPath, "--test-controls", "--client-ca=" + other.CaPemPath, "--sms-daily-limit=3");

        foreach (TestPki ca in new[] { pki, other })
        {
            using HttpClient c = sandbox.Client(ca.Holder("ARMEN", "SARGSYAN", "1234567890"));
            using HttpResponseMessage r = await c.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        using HttpClient plain = sandbox.Client();
        using HttpResponseMessage clock = await plain.PostAsync("/sandbox/test/clock?advanceSeconds=1", null);
        Assert.Equal(HttpStatusCode.OK, clock.StatusCode);
    }
    [Fact]
    public async Task Without_Test_Controls_No_Test_Route_Exists()
    {
        var pki = new TestPki(Path.Combine(_root, "pki"));
        using SandboxProcess sandbox = SandboxProcess.Start(Path.Combine(_root, "data"), "--client-ca", pki.CaPemPath);
        using HttpClient plain = sandbox.Client();
        string[] routes =
        [
            "/sandbox/test/clock?advanceSeconds=1",
            "/sandbox/test/paid-until?publicServiceNumber=1234567890&paidUntil=2027-01-01",
            "/sandbox/test/gateway-order?orderId=x&amount=1",
            "/sandbox/test/gateway-hold?orderId=x",
            "/sandbox/test/gateway-hold/reached?orderId=x",
            "/sandbox/test/gateway-hold/release?orderId=x",
        ];
        foreach (string route in routes)
        {
            using HttpResponseMessage r = await plain.PostAsync(route, null);
            Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{route}: {(int)r.StatusCode}");
        }

        using HttpClient holder = sandbox.Client(pki.Holder("ARMEN", "SARGSYAN", "1234567890"));
        using HttpResponseMessage me = await holder.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }
}
