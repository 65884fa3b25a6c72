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
/// certificates, --urls) and the gateway (--gateway-urls). Exit codes: 0 stopped, 2 bad command line, 3 data
/// directory in use.
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
        TimeProvider clock = TimeProvider.System;
        var uris = new ListenerUris();
        var settings = new Settings(db);
        using var gatewayClient = new GatewayClient(uris, options, tls);
        object[] shared =
        [
            options, tls, db, clock, uris, settings, gatewayClient,
            new LoginLog(db, clock), new SmsOutbox(db), new TrustedClientCas(options.ClientCaFiles),
            new RegistrationService(db, settings, options, clock), new GatewayService(db, options, clock),
            new FeeService(db, settings, gatewayClient, uris, options, clock),
        ];

        WebApplication gateway = Build(shared, options.GatewayEndpoints, tls.Server, clientCertificates: false);
        GatewayEndpoints.Map(gateway);

        WebApplication crm = Build(shared, options.CrmEndpoints, tls.Server, clientCertificates: true);
        crm.UseMiddleware<ClientCertificateGate>();
        ContractDocument.Map(crm);
        CrmEndpoints.Map(crm);

        await gateway.StartAsync();
        await crm.StartAsync();
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

    private static WebApplication Build(object[] shared, IReadOnlyList<IPEndPoint> endpoints, X509Certificate2 serverCertificate, bool clientCertificates)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        foreach (object service in shared) builder.Services.AddSingleton(service.GetType(), service);
        builder.Services.AddSingleton(typeof(TimeProvider), shared.OfType<TimeProvider>().First());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (IPEndPoint endpoint in endpoints)
            {
                kestrel.Listen(endpoint, listen => listen.UseHttps(https =>
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
                }));
            }
        });
        return builder.Build();
    }
}
