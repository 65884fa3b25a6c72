using System.Diagnostics;
using System.Net;
using System.Text;

namespace Ekeng.Sandbox.Tests;

/// <summary>The process: restart keeps state, one process per data directory, loopback only.</summary>
public sealed class ProcessTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Restart_BetweenRegisterAndActivate_StatePersists()
    {
        (var cert, string psn, HttpClient c) = f.NewHolder();
        var (s1, _) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(SandboxFixture.PhoneFor(psn)));
        Assert.Equal(HttpStatusCode.Accepted, s1);
        string code = await f.LatestCode(SandboxFixture.PhoneFor(psn));
        string caBefore = File.ReadAllText(Path.Combine(f.Sandbox.DataDirectory, "sandbox-ca.pem"));

        f.Restart();   // killed hard, then started again on the same directory (new ports)

        Assert.Equal(caBefore, File.ReadAllText(Path.Combine(f.Sandbox.DataDirectory, "sandbox-ca.pem")));
        using HttpClient after = f.Sandbox.Client(cert);
        var (s2, active) = await SandboxFixture.Post(after, "/api/v1/registration/activate", new { code });
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal("Active", active.GetProperty("status").GetString());
    }

    [Fact]
    public void SecondProcess_SameDirectory_Exits3()
    {
        var output = new StringBuilder();
        using Process second = SandboxProcess.StartRaw(f.Sandbox.DataDirectory, f.Extra, output);
        Assert.True(second.WaitForExit(30_000), "the second sandbox did not exit");
        second.WaitForExit();
        Assert.Equal(3, second.ExitCode);
        Assert.Contains($"Another sandbox already uses {f.Sandbox.DataDirectory} (pid ", output.ToString());
    }

    [Theory]
    [InlineData("https://0.0.0.0:0")]
    [InlineData("https://10.1.2.3:0")]
    [InlineData("https://example.com:0")]
    public void NonLoopback_Refused_Exit2(string url)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { SandboxProcess.SandboxDll, "--urls", url, "--gateway-urls", "https://127.0.0.1:0", "--data", Path.Combine(f.Root, "refused") })
            info.ArgumentList.Add(a);
        using Process p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("loopback only", err);
    }
}
