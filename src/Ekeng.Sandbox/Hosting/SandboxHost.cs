using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Ekeng.Sandbox.Crm;
using Ekeng.Sandbox.Fee;
using Ekeng.Sandbox.Gateway;
using Ekeng.Sandbox.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// Runs the two listeners as two Kestrel web applications in one process sharing one state: the CRM (client
/// certificates, --urls) and the gateway (--gateway-urls). Exit codes: 0 stopped, 2 bad command line or a
/// listener that would not be loopback (Kestrel endpoints from the environment or configuration included),
/// 3 data directory in use, 4 a port already taken by another server.
/// </summary>
public static class SandboxHost
{
    public static async Task<int> Run(string[] args)
    {
        SandboxOptions options;
        try
        {
            options = CommandLine.Parse(args);
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return 2;
        }
        Directory.CreateDirectory(options.DataDirectory);
        using DataDirectoryLock? dataLock = DataDirectoryLock.TryAcquire(options.DataDirectory, out int holder);
        if (dataLock is null)
        {
            await Console.Error.WriteLineAsync($"Another sandbox already uses {options.DataDirectory} (pid {holder}).");
            return 3;
        }
        string endpointsFile = Path.Combine(options.DataDirectory, "endpoints.json");
        File.Delete(endpointsFile);

        TlsCertificates tls = TlsCertificates.LoadOrCreate(options.DataDirectory);
        var db = new SandboxDatabase(Path.Combine(options.DataDirectory, "sandbox.db"));
        // Kestrel reads endpoints from the configuration (Kestrel__Endpoints__<name>__Url in the environment,
        // appsettings): they would listen beside ours, on any address. Refused before anything listens.
        if (ConfiguredKestrelEndpoints() is { Count: > 0 } foreign)
        {
            await Console.Error.WriteLineAsync($"Kestrel endpoints from the environment or configuration are not accepted ({string.Join(", ", foreign)}): the sandbox listens only on --urls and --gateway-urls, loopback only.");
            return 2;
        }
        var clock = new ShiftableClock();
        var uris = new ListenerUris();
        var holds = new StatusHolds();
        var settings = new Settings(db);
        using var gatewayClient = new GatewayClient(uris, options, tls);
        object[] shared =
        [
            options, tls, db, clock, uris, settings, gatewayClient, holds,
            new LoginLog(db, clock), new SmsOutbox(db), new TrustedClientCas(options.ClientCaFiles),
            new RegistrationService(db, settings, options, clock), new GatewayService(db, options, clock, holds),
            new FeeService(db, settings, gatewayClient, uris, options, clock),
        ];

        WebApplication gateway = Build(shared, options.GatewayEndpoints, tls.Server, clientCertificates: false);
        GatewayEndpoints.Map(gateway);
        Tsa.TsaEndpoints.Map(gateway, new Tsa.TimestampAuthority(options.DataDirectory, clock));

        WebApplication crm = Build(shared, options.CrmEndpoints, tls.Server, clientCertificates: true);
        crm.UseMiddleware<ClientCertificateGate>();
        ContractDocument.Map(crm);
        CrmEndpoints.Map(crm);
        if (options.TestControls) TestEndpoints.Map(crm);

        try
        {
            await gateway.StartAsync();
            await crm.StartAsync();
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"A port of the sandbox is already taken by another server: {e.Message}");
            await StopQuietly(crm, gateway);
            return 4;
        }
        // The backstop: whatever configured them, every address actually bound must be loopback.
        string[] bound = [.. gateway.Urls, .. crm.Urls];
        if (bound.FirstOrDefault(u => !IsLoopbackUrl(u)) is { } open)
        {
            await Console.Error.WriteLineAsync($"The sandbox was made to listen on {open}, not loopback: stopped.");
            await StopQuietly(crm, gateway);
            return 2;
        }
        uris.Gateway = gateway.Urls.First().TrimEnd('/');
        uris.Crm = crm.Urls.First().TrimEnd('/');
        string temp = endpointsFile + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["crm"] = uris.Crm, ["gateway"] = uris.Gateway, ["pid"] = Environment.ProcessId,
        }));
        File.Move(temp, endpointsFile, overwrite: true);

        await Task.WhenAny(crm.WaitForShutdownAsync(), gateway.WaitForShutdownAsync());
        await Task.WhenAll(crm.StopAsync(), gateway.StopAsync());
        File.Delete(endpointsFile);
        return 0;
    }

    /// <summary>The Kestrel:Endpoints entries the environment (or an appsettings file) would add.</summary>
    private static List<string> ConfiguredKestrelEndpoints()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables("DOTNET_")
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .Build();
        return [.. configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => $"{e.Key}={e["Url"]}")];
    }

    private static bool IsLoopbackUrl(string url) =>
        Uri.TryCreate(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out Uri? uri)
        && IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address);

    private static async Task StopQuietly(params WebApplication[] apps)
    {
        foreach (WebApplication app in apps)
        {
            try { await app.StopAsync(); } catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException) { }
        }
    }

    private static WebApplication Build(object[] shared, IReadOnlyList<IPEndPoint> endpoints, X509Certificate2 serverCertificate, bool clientCertificates)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        // A failed start (a port taken) is told once by Run, in one line, without the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        foreach (object service in shared) builder.Services.AddSingleton(service.GetType(), service);
        builder.Services.AddSingleton(typeof(TimeProvider), shared.OfType<TimeProvider>().First());
        // Only the listeners below: no URLs from ASPNETCORE_URLS/--urls style settings may win over them.
        builder.WebHost.UseSetting(WebHostDefaults.PreferHostingUrlsKey, "false");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (IPEndPoint endpoint in endpoints)
            {
                kestrel.Listen(endpoint, listen =>
                {
                    listen.Use(PlainHttpRefusal.Middleware);
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = serverCertificate;
                        // Two cores and a burst of 200 handshakes: Kestrel's default 10 s would drop the slowest ones.
                        https.HandshakeTimeout = TimeSpan.FromSeconds(60);
                        if (clientCertificates)
                        {
                            // The TLS layer lets any certificate (or none) through; ClientCertificateGate judges it and answers 403 with the reason.
                            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                            https.AllowAnyClientCertificate();
                        }
                    });
                });
            }
        });
        return builder.Build();
    }
}
