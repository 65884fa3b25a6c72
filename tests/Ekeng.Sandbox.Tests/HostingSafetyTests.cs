using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ekeng.Testing;

namespace Ekeng.Sandbox.Tests;

/// <summary>
/// The sandbox process as a target of other programs on the machine: no secret on its command line, private keys
/// never readable by others, no listener off loopback whatever the environment says, a clear answer to plain HTTP
/// and a clear exit when its port is taken.
/// </summary>
public sealed class HostingSafetyTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    private string FreshData() => Path.Combine(f.Root, "h-" + Guid.NewGuid().ToString("N")[..8]);

    private static (int ExitCode, string Output) RunToExit(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = new StringBuilder();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(SandboxProcess.SandboxDll);
        foreach (string a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using Process p = Process.Start(info)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            Assert.Fail($"The sandbox did not exit:\n{output}");
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }

    /// <summary>Listening TCP sockets on <paramref name="port"/> (any address), from /proc/net/tcp and tcp6.</summary>
    private static List<string> Listeners(int port)
    {
        var found = new List<string>();
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file)) continue;
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                string[] cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string[] local = cols[1].Split(':');
                if (cols[3] == "0A" && int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port) found.Add($"{file} {cols[1]}");
            }
        }
        return found;
    }

    [Fact]
    public void MerchantPasswordFlag_Refused_Exit2_ValueNotEchoed()
    {
        var (code, output) = RunToExit(["--data", FreshData(), "--merchant-password", "Secret76543210"]);
        Assert.Equal(2, code);
        Assert.Contains("--merchant-password-file", output);
        Assert.Contains("EKENG_SANDBOX_MERCHANT_PASSWORD", output);
        Assert.DoesNotContain("Secret76543210", output);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("environment")]
    public async Task MerchantPassword_FromFileOrEnvironment_GatewayAndEkengUseIt(string source)
    {
        const string password = "Pass-90817263";
        string data = FreshData();
        Directory.CreateDirectory(data);
        string[] extra = ["--client-ca", f.Pki.CaPemPath];
        Dictionary<string, string>? env = null;
        if (source == "file")
        {
            string file = Path.Combine(data, "merchant.pw");
            File.WriteAllText(file, password + "\n");
            extra = [.. extra, "--merchant-password-file", file];
        }
        else
        {
            env = new() { ["EKENG_SANDBOX_MERCHANT_PASSWORD"] = password };
        }
        using SandboxProcess sandbox = SandboxProcess.Start(data, extra, env);
        Assert.DoesNotContain(password, File.ReadAllText($"/proc/{JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "endpoints.json"))).RootElement.GetProperty("pid").GetInt32()}/cmdline"));

        using HttpClient gw = sandbox.Client(baseAddress: sandbox.Gateway);
        var order = GatewayApi.Order("P" + Guid.NewGuid().ToString("N")[..20]);
        order["password"] = "sandbox";
        Assert.Equal("5", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", order)));
        order["password"] = password;
        Assert.Equal("0", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", order)));

        // EKENG's side registers its fee orders with the same password.
        string psn = "3" + RandomDigits(9);
        using HttpClient holder = sandbox.Client(f.Pki.Holder("ARMEN", "SARGSYAN", psn));
        string phone = SandboxFixture.PhoneFor(psn);
        Assert.Equal(HttpStatusCode.Accepted, (await SandboxFixture.Post(holder, "/api/v1/registration", SandboxFixture.Registration(phone))).Status);
        using HttpClient anon = sandbox.Client();
        string code = (await SandboxFixture.Get(anon, "/sandbox/sms?phone=" + Uri.EscapeDataString(phone))).Body[0].GetProperty("code").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SandboxFixture.Post(holder, "/api/v1/registration/activate", new { code })).Status);
        Assert.Equal(HttpStatusCode.Created, (await SandboxFixture.Post(holder, "/api/v1/fee/orders", new { language = "en" })).Status);
    }

    private static string RandomDigits(int n) =>
        string.Concat(Enumerable.Range(0, n).Select(_ => System.Security.Cryptography.RandomNumberGenerator.GetInt32(10).ToString(CultureInfo.InvariantCulture)));

    [SkippableFact]
    public void PrivateKeys_CreatedWithMode0600_ByTheOpenItself()
    {
        Requires.Linux();
        Requires.InstalledFile("/usr/bin/strace", "strace");
        string data = FreshData(), log = Path.Combine(f.Root, "strace-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo("/usr/bin/strace") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-f", "-e", "trace=open,openat,creat,chmod,fchmod,fchmodat", "-o", log, "dotnet", SandboxProcess.SandboxDll, "--data", data })
            info.ArgumentList.Add(a);
        using Process p = Process.Start(info)!;
        var watch = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(data, "endpoints.json")) && !p.HasExited && watch.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(100);
        bool started = File.Exists(Path.Combine(data, "endpoints.json"));
        if (!p.HasExited) p.Kill(true);
        p.WaitForExit();
        string trace = File.Exists(log) ? File.ReadAllText(log) : "";
        Requires.That(started || !trace.Contains("Operation not permitted", StringComparison.Ordinal), "needs ptrace (strace) permitted here");
        Assert.True(started, "the sandbox did not start under strace:\n" + trace[^Math.Min(trace.Length, 2000)..]);

        foreach (string key in new[] { "sandbox-ca.key", "sandbox-server.key" })
        {
            string[] lines = trace.Split('\n').Where(l => l.Contains($"/{key}\"", StringComparison.Ordinal)).ToArray();
            string create = Assert.Single(lines, l => l.Contains("O_CREAT", StringComparison.Ordinal));
            Assert.EndsWith(", 0600)", create[..(create.LastIndexOf(')') + 1)]);
            Assert.DoesNotContain(lines, l => l.Contains("chmod", StringComparison.Ordinal));
            if (OperatingSystem.IsLinux()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, key)));
        }
    }

    [Fact]
    public void KestrelEndpointFromTheEnvironment_Refused_Exit2_NothingListens()
    {
        const int port = 5099;
        Assert.Empty(Listeners(port));
        var (code, output) = RunToExit(["--data", FreshData()], new Dictionary<string, string> { ["Kestrel__Endpoints__x__Url"] = $"http://0.0.0.0:{port}" });
        Assert.Equal(2, code);
        Assert.Contains("Kestrel endpoints from the environment or configuration are not accepted (x=http://0.0.0.0:5099)", output);
        Assert.DoesNotContain("Now listening on: http://0.0.0.0", output);
        Assert.Empty(Listeners(port));
        // And from outside loopback: a local non-loopback address of this machine, if it has one.
        IPAddress? external = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (external is not null)
        {
            using var probe = new TcpClient();
            Assert.ThrowsAny<SocketException>(() => probe.Connect(external, port));
        }
    }

    [Fact]
    public async Task HostingUrlsFromTheEnvironment_Ignored_OnlyLoopbackListens()
    {
        const int port = 5098;
        string data = FreshData();
        using SandboxProcess sandbox = SandboxProcess.Start(data, [], new Dictionary<string, string>
        {
            ["ASPNETCORE_PREFERHOSTINGURLS"] = "true", ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}", ["URLS"] = $"http://0.0.0.0:{port}",
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
        });
        Assert.Empty(Listeners(port));
        using HttpClient c = sandbox.Client();
        var (s, _) = await SandboxFixture.Get(c, "/sandbox/health");
        Assert.Equal(HttpStatusCode.OK, s);
        Assert.DoesNotContain("Now listening on: http:", sandbox.Output);    // only https on 127.0.0.1 (Kestrel logs that it overrides the others)
    }

    [Fact]
    public void PortTakenByAnotherServer_Exit4_ClearMessage()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        int port = ((IPEndPoint)other.LocalEndpoint).Port;
        var (code, output) = RunToExit(["--urls", $"https://127.0.0.1:{port}", "--data", FreshData()]);
        Assert.Equal(4, code);
        Assert.Contains("A port of the sandbox is already taken by another server", output);
        Assert.Contains($"127.0.0.1:{port}", output);
        Assert.DoesNotContain("   at ", output);                         // no stack trace
    }

    [Theory]
    [InlineData("crm")]
    [InlineData("gateway")]
    public async Task PlainHttp_ToTheHttpsPort_Clean400_ThenStillServes(string listener)
    {
        Uri uri = listener == "crm" ? f.Sandbox.Crm : f.Sandbox.Gateway;
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
            NetworkStream stream = tcp.GetStream();
            stream.ReadTimeout = 60_000;
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /sandbox/health HTTP/1.1\r\nHost: 127.0.0.1:{uri.Port}\r\n\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            string answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", answer);
            Assert.Contains("This port speaks HTTPS only", answer);
        }
        using HttpClient c = f.Sandbox.Client(baseAddress: uri);
        using HttpResponseMessage r = await c.GetAsync(listener == "crm" ? "/sandbox/health" : "/payment/merchants/ekeng/payment.html?mdOrder=none");
        Assert.Equal(listener == "crm" ? HttpStatusCode.OK : HttpStatusCode.NotFound, r.StatusCode);
        Assert.DoesNotContain("   at ", f.Sandbox.Output);
    }
}
