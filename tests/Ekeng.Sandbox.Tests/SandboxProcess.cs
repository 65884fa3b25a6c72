using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>The REAL sandbox as a child process (dotnet Ekeng.Sandbox.dll) on a temp data directory, loopback, free ports.</summary>
public sealed class SandboxProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public string DataDirectory { get; }
    public Uri Crm { get; }
    public Uri Gateway { get; }
    public X509Certificate2 SandboxCa { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    private SandboxProcess(Process process, StringBuilder output, string data, Uri crm, Uri gateway)
    {
        _process = process;
        _output = output;
        DataDirectory = data;
        Crm = crm;
        Gateway = gateway;
        SandboxCa = X509CertificateLoader.LoadCertificate(PemToDer(File.ReadAllText(Path.Combine(data, "sandbox-ca.pem"))));
    }

    public static string SandboxDll
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("EKENG_SANDBOX_DLL");
            if (!string.IsNullOrEmpty(env)) return env;
            // tests/Ekeng.Sandbox.Tests/bin/<Configuration>/net10.0/ → src/Ekeng.Sandbox/bin/<Configuration>/net10.0/Ekeng.Sandbox.dll
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            string tfm = here.Name, configuration = here.Parent!.Name;
            DirectoryInfo? root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ekeng.PowerShell.sln"))) root = root.Parent;
            if (root is null) throw new InvalidOperationException("Cannot find the repository root (Ekeng.PowerShell.sln) above " + AppContext.BaseDirectory);
            string dll = Path.Combine(root.FullName, "src", "Ekeng.Sandbox", "bin", configuration, tfm, "Ekeng.Sandbox.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException("The sandbox is not built (dotnet build src/Ekeng.Sandbox).", dll);
            return dll;
        }
    }

    public static Process StartRaw(string data, IEnumerable<string> extra, StringBuilder output, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.ArgumentList.Add(SandboxDll);
        foreach (string a in new[] { "--urls", "https://127.0.0.1:0", "--gateway-urls", "https://127.0.0.1:0", "--data", data }.Concat(extra)) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static SandboxProcess Start(string data, params string[] extra) => Start(data, extra, null);

    public static SandboxProcess Start(string data, string[] extra, IReadOnlyDictionary<string, string>? environment)
    {
        Directory.CreateDirectory(data);
        string endpoints = Path.Combine(data, "endpoints.json");
        var output = new StringBuilder();
        Process process = StartRaw(data, extra, output, environment);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited) throw new InvalidOperationException($"The sandbox exited with {process.ExitCode}:\n{output}");
            if (File.Exists(endpoints))
            {
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(endpoints));
                    if (doc.RootElement.GetProperty("pid").GetInt32() == process.Id)
                        return new SandboxProcess(process, output, data, new Uri(doc.RootElement.GetProperty("crm").GetString()!), new Uri(doc.RootElement.GetProperty("gateway").GetString()!));
                }
                catch (Exception e) when (e is IOException or JsonException) { }
            }
            Thread.Sleep(50);
        }
        process.Kill(true);
        throw new TimeoutException($"The sandbox wrote no endpoints.json in 30 s:\n{output}");
    }

    /// <summary>An HTTPS client that trusts only the sandbox CA and presents <paramref name="clientCertificate"/> (or none).</summary>
    public HttpClient Client(X509Certificate2? clientCertificate = null, bool followRedirects = false, Uri? baseAddress = null)
    {
        X509Certificate2 ca = SandboxCa;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                {
                    if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(cert));
                },
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress ?? Crm, Timeout = TimeSpan.FromSeconds(60) };
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static byte[] PemToDer(string pem) =>
        Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim())));
}
