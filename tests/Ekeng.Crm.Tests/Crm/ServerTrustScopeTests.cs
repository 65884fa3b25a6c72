using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Tls;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>Tests that change the process's environment variables run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "ProcessEnvironment";
}

/// <summary>
/// A private CA (-TrustedCaFile / EKENG_CA_FILE) is trusted for the host it was named with only, needs serverAuth in
/// the server's certificate, and uses the intermediates the server sends: over real TLS handshakes on loopback,
/// through both validators (the netstandard one of EkengSession's own handler, and Ekeng.Tls's of the card login).
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServerTrustScopeTests : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private readonly RSA _rootKey;
    private readonly RSA _intermediateKey;
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;
    private readonly string _directory = Directory.CreateTempSubdirectory("ekeng-trust-").FullName;
    private readonly string _rootPem;

    public ServerTrustScopeTests()
    {
        _root = TestTlsServer.MakeCa("Ekeng Test Root", null, out _rootKey);
        _intermediate = TestTlsServer.MakeCa("Ekeng Test Intermediate", _root, out _intermediateKey);
        _rootPem = Path.Combine(_directory, "root.pem");
        File.WriteAllText(_rootPem, _root.ExportCertificatePem());
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _rootKey.Dispose();
        _intermediateKey.Dispose();
    }

    /// <summary>GET through EkengSession's own handler (ServerTrust.Validate): the error id, or null when served.</summary>
    private static async Task<string?> GetThroughSession(Uri uri, ServerTrust trust)
    {
        using EkengSession session = EkengSession.Open(new EkengSessionOptions(uri, trust) { GetAttempts = 1 });
        try
        {
            await session.GetAsync<JsonElement>("ping", null, CancellationToken.None);
            return null;
        }
        catch (EkengException e)
        {
            return e.ErrorId + ": " + trust.LastFailure;
        }
    }

    /// <summary>GET through the card login's handler (Ekeng.Tls, CustomRootValidator): the failure, or null when served.</summary>
    private static async Task<string?> GetThroughTokenHandler(Uri uri, ServerTrust trust, X509Certificate2 anyClientCertificate)
    {
        using var client = new HttpClient(TokenTlsHandler.Create(anyClientCertificate, trust, SslProtocols.Tls12 | SslProtocols.Tls13));
        try
        {
            using HttpResponseMessage r = await client.GetAsync(new Uri(uri, "ping"));
            return r.IsSuccessStatusCode ? null : "HTTP " + (int)r.StatusCode;
        }
        catch (HttpRequestException)
        {
            return "refused: " + trust.LastFailure;
        }
    }

    [SkippableFact]
    public async Task A_Chain_With_The_Intermediate_Sent_By_The_Server_Is_Accepted_Without_It_Refused()
    {
        Requires.Linux(); // the card login's handler (Ekeng.Tls) is Linux-only
        using X509Certificate2 leaf = TestTlsServer.MakeServer(_intermediate, ServerAuth);
        using var sending = new TestTlsServer(leaf, [_intermediate]);
        using var silent = new TestTlsServer(leaf, []);
        ServerTrust Trust() => ServerTrust.FromPemFile(_rootPem).ForHost("127.0.0.1");

        Assert.Null(await GetThroughSession(new Uri($"https://127.0.0.1:{sending.Port}/"), Trust()));
        Assert.Null(await GetThroughTokenHandler(new Uri($"https://127.0.0.1:{sending.Port}/"), Trust(), _root));
        Assert.Equal(2, sending.Served);

        // Without the intermediate in the handshake, the root alone cannot reach the leaf: refused (the control).
        Assert.StartsWith("ServerCertificateUntrusted", await GetThroughSession(new Uri($"https://127.0.0.1:{silent.Port}/"), Trust()));
        Assert.StartsWith("refused", await GetThroughTokenHandler(new Uri($"https://127.0.0.1:{silent.Port}/"), Trust(), _root));
        Assert.Equal(0, silent.Served);
    }

    [SkippableFact]
    public async Task A_Server_Certificate_Without_ServerAuth_Under_The_Custom_Root_Is_Refused()
    {
        Requires.Linux(); // the card login's handler (Ekeng.Tls) is Linux-only
        using X509Certificate2 clientOnly = TestTlsServer.MakeServer(_intermediate, ClientAuth);
        using X509Certificate2 noEku = TestTlsServer.MakeServer(_intermediate);
        foreach (X509Certificate2 leaf in new[] { clientOnly, noEku })
        {
            using var server = new TestTlsServer(leaf, [_intermediate]);
            var uri = new Uri($"https://127.0.0.1:{server.Port}/");
            string? session = await GetThroughSession(uri, ServerTrust.FromPemFile(_rootPem).ForHost("127.0.0.1"));
            Assert.StartsWith("ServerCertificateUntrusted", session);
            Assert.Contains("serverAuth", session);
            Assert.Contains("serverAuth", await GetThroughTokenHandler(uri, ServerTrust.FromPemFile(_rootPem).ForHost("127.0.0.1"), _root));
            Assert.Equal(0, server.Served);
        }
    }

    [SkippableFact]
    public async Task The_Private_Ca_Counts_For_Its_Host_Only_Another_Host_Gets_The_System_Roots()
    {
        Requires.Linux(); // the card login's handler (Ekeng.Tls) is Linux-only
        using X509Certificate2 leaf = TestTlsServer.MakeServer(_intermediate, ServerAuth);
        using var server = new TestTlsServer(leaf, [_intermediate]);

        // Named for 127.0.0.1: the same server reached as 'localhost' (another host name) is judged by the system's roots.
        Assert.Null(await GetThroughSession(new Uri($"https://127.0.0.1:{server.Port}/"), ServerTrust.FromPemFile(_rootPem).ForHost("127.0.0.1")));
        string? other = await GetThroughSession(new Uri($"https://localhost:{server.Port}/"), ServerTrust.FromPemFile(_rootPem).ForHost("127.0.0.1"));
        Assert.StartsWith("ServerCertificateUntrusted", other);
        Assert.Contains("not trusted by the system", other);
        Assert.Contains("not trusted by the system", await GetThroughTokenHandler(new Uri($"https://localhost:{server.Port}/"), ServerTrust.FromPemFile(_rootPem).ForHost("127.0.0.1"), _root));

        // Unit level: the validator for crm.ekeng.am with the chain error the system reports for this root.
        ServerTrust scoped = ServerTrust.FromPemFile(_rootPem).ForHost("127.0.0.1");
        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.Add(_intermediate);
        Assert.False(scoped.Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors, "crm.ekeng.am"));
        Assert.Contains("not trusted by the system", scoped.LastFailure);
        Assert.True(scoped.Validate(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors, "127.0.0.1"));
    }

    [Fact]
    public void Ekeng_Ca_File_Applies_Only_When_The_Service_Is_Named_And_Only_To_Its_Host()
    {
        string? saved = Environment.GetEnvironmentVariable(EkengSessionOptions.CaFileVariable);
        string? savedUri = Environment.GetEnvironmentVariable(EkengSessionOptions.CrmUriVariable);
        try
        {
            Environment.SetEnvironmentVariable(EkengSessionOptions.CaFileVariable, _rootPem);
            Environment.SetEnvironmentVariable(EkengSessionOptions.CrmUriVariable, null);

            // No service named: production by omission; the CA file is left out (and said), the system's roots decide.
            Assert.False(EkengSessionOptions.IsCrmUriNamed(null));
            ServerTrust production = EkengSessionOptions.ResolveTrust(null, Ekeng.Portal.EkengPortal.CrmUri, EkengSessionOptions.IsCrmUriNamed(null), out string? ignored);
            Assert.Null(production.CustomRoots);
            Assert.Equal(_rootPem, ignored);

            // Named with EKENG_CRM_URI: trusted for that host only.
            Environment.SetEnvironmentVariable(EkengSessionOptions.CrmUriVariable, "https://127.0.0.1:4443/");
            Assert.True(EkengSessionOptions.IsCrmUriNamed(null));
            ServerTrust named = EkengSessionOptions.ResolveTrust(null, EkengSessionOptions.ResolveNamedCrmUri(null)!, EkengSessionOptions.IsCrmUriNamed(null), out ignored);
            Assert.Null(ignored);
            Assert.NotNull(named.CustomRoots);
            Assert.Equal("127.0.0.1", named.Host);
            Assert.True(named.AppliesTo("127.0.0.1"));
            Assert.False(named.AppliesTo("crm.ekeng.am"));

            // Named with -CrmUri (the parameter): the same.
            Environment.SetEnvironmentVariable(EkengSessionOptions.CrmUriVariable, null);
            var explicitUri = new Uri("https://sandbox.test:4443/");
            Assert.True(EkengSessionOptions.IsCrmUriNamed(explicitUri));
            Assert.Equal("sandbox.test", EkengSessionOptions.ResolveTrust(null, explicitUri, true, out _).Host);

            // -TrustedCaFile is named with this command: it is for the CRM's host, whatever the address.
            ServerTrust parameter = EkengSessionOptions.ResolveTrust(_rootPem, Ekeng.Portal.EkengPortal.CrmUri, false, out ignored);
            Assert.Null(ignored);
            Assert.Equal("crm.ekeng.am", parameter.Host);
            Assert.False(parameter.AppliesTo("ipay.arca.am"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(EkengSessionOptions.CaFileVariable, saved);
            Environment.SetEnvironmentVariable(EkengSessionOptions.CrmUriVariable, savedUri);
        }
    }
}
