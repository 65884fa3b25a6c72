using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Ekeng.Testing.Rig;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Rigs.SoftHsm;
using Ekeng.Tls;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Ekeng.Tls.Tests;

/// <summary>Mutual TLS with the SoftHSM card's never-extractable key through OpenSSL's pkcs11 engine, watched by pkcs11-spy.</summary>
[Collection(TokenRigCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TokenMtlsTests(TokenRig rig, ITestOutputHelper output)
{
    private ClientCertificateRequest AuthRequest(string pin) =>
        new(rig.Card!.AuthCertificate, rig.ModulePath, SoftHsmCardFactory.AuthLabel, [0x01], TokenRig.Secure(pin));

    [SkippableFact]
    public async Task Handshake_Signs_On_The_Token_And_The_Server_Sees_The_Auth_Certificate()
    {
        rig.Require();
        await using MtlsTestServer server = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root);
        string body = "";
        string spy = rig.Spy(() =>
        {
            using HttpMessageHandler handler = new OpenSslEngineHandlerFactory().CreateHandler(AuthRequest(TokenRig.AuthPinText), ServerTrust.FromPemFile(server.ServerCaPem), NullLogger.Instance);
            using var client = new HttpClient(handler);
            body = client.GetStringAsync(new Uri(server.BaseUri, "whoami")).GetAwaiter().GetResult();
        });

        Assert.Equal(rig.Card.AuthCertificate.Thumbprint, body);
        Assert.Contains(rig.Card.AuthCertificate.Thumbprint, server.Seen);
        Assert.Contains("C_Sign", spy);
        TokenRig.AssertNoPrivateValueRead(spy);
    }

    [SkippableTheory]
    [InlineData(false, "Tls12")]
    [InlineData(null, "Tls13")]
    [InlineData(true, "Tls13")]
    public async Task The_Negotiated_Protocol_Follows_The_Tokens_Rsa_Pss(bool? tokenSupportsRsaPss, string expected)
    {
        rig.Require();
        await using MtlsTestServer server = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root, ProtocolRoute);
        ClientCertificateRequest request = AuthRequest(TokenRig.AuthPinText);
        request.TokenSupportsRsaPss = tokenSupportsRsaPss;
        string protocol = "";
        string spy = rig.Spy(() =>
        {
            using HttpMessageHandler handler = new OpenSslEngineHandlerFactory().CreateHandler(request, ServerTrust.FromPemFile(server.ServerCaPem), NullLogger.Instance);
            using var client = new HttpClient(handler);
            // The protocol as the SERVER saw it (Kestrel's ITlsHandshakeFeature), with the client certificate it got.
            protocol = client.GetStringAsync(new Uri(server.BaseUri, "protocol")).GetAwaiter().GetResult();
            Assert.Equal(tokenSupportsRsaPss == false, ((TokenTlsHandler)handler).Tls12Only);
        });
        Assert.Equal($"{expected} {rig.Card.AuthCertificate.Thumbprint}", protocol);
        // TLS 1.2 (one C_Sign on the token). OpenSSL still prefers rsa_pss_rsae signatures in TLS 1.2 when the server
        // offers them; a token with no PSS at all also needs PKCS#1 v1.5-only signature algorithms (docs/CRM.md).
        Assert.Contains("C_Sign", spy);
        TokenRig.AssertNoPrivateValueRead(spy);
    }

    /// <summary>
    /// The 1.3 -> 1.2 fall-back, triggered the way a token without RSA-PSS triggers it: OpenSSL's s_server asks for a
    /// client certificate signed with PKCS#1 v1.5 only (-client_sigalgs), which TLS 1.3 cannot use (it signs
    /// CertificateVerify with RSA-PSS), so the TLS 1.3 handshake fails; the handler then speaks TLS 1.2 and the
    /// server reports TLSv1.2 with the card's certificate verified.
    /// </summary>
    [SkippableFact]
    public void A_Server_That_Refuses_Rsa_Pss_Gets_The_Tls12_Fallback()
    {
        rig.Require();
        string? openssl = new[] { "/usr/bin/openssl", "/bin/openssl" }.FirstOrDefault(File.Exists);
        Requires.That(openssl != null, "the openssl command is missing (Debian package 'openssl')");
        (X509Certificate2 serverCa, X509Certificate2 serverCertificate) = MtlsTestServer.MakeServerCertificate();
        string dir = Path.Combine(rig.Root, "s_server-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "server.pem"), serverCertificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "server.key"), serverCertificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(dir, "server-ca.pem"), serverCa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "client-ca.pem"), rig.Card!.CaCertificate.ExportCertificatePem());
        int port = FreePort();
        var start = new ProcessStartInfo(openssl!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = dir,
        };
        foreach (string a in new[] { "s_server", "-accept", $"127.0.0.1:{port}", "-cert", "server.pem", "-key", "server.key", "-CAfile", "client-ca.pem", "-Verify", "1", "-verify_return_error", "-client_sigalgs", "RSA+SHA256:RSA+SHA384:RSA+SHA512", "-www" })
        {
            start.ArgumentList.Add(a);
        }

        using Process server = Process.Start(start)!;
        // Drained as it comes (a full pipe would block s_server), kept for the failure message.
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        server.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            WaitForPort(port, server);
            string body = "";
            bool tls12Only = false;
            string spy = rig.Spy(() =>
            {
                using HttpMessageHandler handler = new OpenSslEngineHandlerFactory().CreateHandler(AuthRequest(TokenRig.AuthPinText), ServerTrust.FromPemFile(Path.Combine(dir, "server-ca.pem")), NullLogger.Instance);
                using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
                body = client.GetStringAsync(new Uri($"https://127.0.0.1:{port}/")).GetAwaiter().GetResult();
                tls12Only = ((TokenTlsHandler)handler).Tls12Only;
            });
            Assert.True(tls12Only, "the handler did not fall back to TLS 1.2: " + string.Join("\n", log));
            Assert.Matches(@"Protocol\s*:\s*TLSv1\.2", body);
            Assert.Contains("Client certificate", body);
            Assert.Contains("C_Sign", spy);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    /// <summary>One command's use of the key: load it with <paramref name="pin"/> and sign once; "ok" or the error id, and the spy's log.</summary>
    private string LoadAndSign(string pin, out string outcome)
    {
        string result = "";
        string spy = rig.Spy(() =>
        {
            try
            {
                using TokenClientCertificate key = TokenClientCertificate.Load(AuthRequest(pin), NullLogger.Instance);
                key.Key.SignData("ekeng"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                result = "ok";
            }
            catch (EkengException e)
            {
                result = e.ErrorId;
            }
        });
        outcome = result;
        return spy;
    }

    /// <summary>
    /// Every command's PIN is checked, even after a right one in the same process (libp11 used to keep the token
    /// logged in): each load is ONE C_Login after a C_Logout, and the key's end logs the token out.
    /// </summary>
    [SkippableFact]
    public void Wrong_Right_Wrong_Right_Each_Pin_Is_Checked_Once_And_Nothing_Stays_Logged_In()
    {
        rig.Require();
        var outcomes = new List<string>();
        foreach (string pin in new[] { "99999999", TokenRig.AuthPinText, "99999999", TokenRig.AuthPinText })
        {
            string spy = LoadAndSign(pin, out string outcome);
            int logins = Regex.Matches(spy, @"\bC_Login\b").Count;
            // Logged out at the end: a C_Logout after the (successful) login.
            bool loggedOut = outcome != "ok" || spy.LastIndexOf("C_Logout", StringComparison.Ordinal) > spy.LastIndexOf("C_Sign", StringComparison.Ordinal);
            outcomes.Add($"{outcome} logins={logins} loggedOut={loggedOut}");
        }

        Assert.Equal(new[] { "PinIncorrect logins=1 loggedOut=True", "ok logins=1 loggedOut=True", "PinIncorrect logins=1 loggedOut=True", "ok logins=1 loggedOut=True" }, outcomes);
        Assert.False(rig.IsLoggedIn(SoftHsmCardFactory.AuthLabel), "the token is still logged in after the key was released");
    }

    /// <summary>
    /// A command starts the engine ahead of its login, during its contract probe (OpenSslEngineHandlerFactory.Prepare):
    /// that logs in nothing and opens no key, and afterwards every PIN is still checked by its own single C_Login.
    /// </summary>
    [SkippableFact]
    public void Preparing_The_Engine_Ahead_Logs_In_Nothing_And_Every_Pin_Is_Still_Checked()
    {
        rig.Require();
        string prepared = rig.Spy(() => new OpenSslEngineHandlerFactory().Prepare(rig.ModulePath, NullLogger.Instance));
        Assert.DoesNotContain("C_Login", prepared);
        Assert.DoesNotContain("C_Sign", prepared);
        Assert.False(rig.IsLoggedIn(SoftHsmCardFactory.AuthLabel), "preparing the engine logged the token in");

        var outcomes = new List<string>();
        foreach (string pin in new[] { "99999999", TokenRig.AuthPinText, "99999999" })
        {
            string spy = LoadAndSign(pin, out string outcome);
            outcomes.Add($"{outcome} logins={Regex.Matches(spy, @"\bC_Login\b").Count}");
        }

        Assert.Equal(new[] { "PinIncorrect logins=1", "ok logins=1", "PinIncorrect logins=1" }, outcomes);
        Assert.False(rig.IsLoggedIn(SoftHsmCardFactory.AuthLabel), "the token is still logged in after the key was released");
    }

    /// <summary>libp11 writes its diagnostics to stderr (the user's terminal) unless told QUIET: fd 2 is captured around a failing load.</summary>
    [SkippableFact]
    public void The_Engines_Diagnostics_Do_Not_Reach_Stderr()
    {
        rig.Require();
        // A key id the token does not hold: libp11 says "The private key was not found at: ..." and
        // "PKCS11_get_private_key returned NULL" on stderr when it is not quiet.
        var request = new ClientCertificateRequest(rig.Card!.AuthCertificate, rig.ModulePath, SoftHsmCardFactory.AuthLabel, [0x09], TokenRig.Secure(TokenRig.AuthPinText));
        EkengException? error = null;
        string stderr = StderrCapture.Run(() => error = Assert.ThrowsAny<EkengException>(() => TokenClientCertificate.Load(request, NullLogger.Instance)));
        Assert.Equal("TokenKeyUnavailable", error!.ErrorId);
        Assert.DoesNotContain("returned NULL", stderr);
        Assert.DoesNotContain("not found at", stderr);
        Assert.True(stderr.Length == 0, "stderr: " + stderr);
        Assert.False(rig.IsLoggedIn(SoftHsmCardFactory.AuthLabel), "a failed load left the token logged in");
    }

    [SkippableFact]
    public void The_Private_Key_Cannot_Be_Exported()
    {
        rig.Require();
        using TokenClientCertificate key = TokenClientCertificate.Load(AuthRequest(TokenRig.AuthPinText), NullLogger.Instance);
        Assert.True(key.Certificate.HasPrivateKey);
        Assert.ThrowsAny<CryptographicException>(() => key.Key.ExportParameters(true));
        Assert.ThrowsAny<CryptographicException>(() => key.Key.ExportPkcs8PrivateKey());
        byte[] data = "ekeng"u8.ToArray();
        byte[] signature = key.Key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        using RSA pub = rig.Card!.AuthCertificate.GetRSAPublicKey()!;
        Assert.True(pub.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [SkippableFact]
    public void A_Wrong_Pin_Is_A_Clear_Error_Tried_Once()
    {
        rig.Require();
        // Whatever the tests before did with this process's login state, the PIN is checked: one C_Login, refused.
        var request = new ClientCertificateRequest(rig.Card!.SignCertificate, rig.ModulePath, SoftHsmCardFactory.SignLabel, [0x02], TokenRig.Secure("99999999"));
        EkengException? error = null;
        string spy = rig.Spy(() => error = Assert.ThrowsAny<EkengException>(() => TokenClientCertificate.Load(request, NullLogger.Instance)));
        Assert.True(error!.ErrorId == "PinIncorrect", error.Message);
        Assert.Equal(EkengErrorKind.AuthenticationError, error.Kind);
        Assert.DoesNotContain("99999999", error.Message);
        Assert.Single(Regex.Matches(spy, @"C_Login\b"));
        Assert.Contains("CKR_PIN_INCORRECT", spy);
    }

    [SkippableFact]
    public void No_Pin_Is_A_Clear_Error_Before_The_Token_Is_Asked()
    {
        rig.Require();
        var request = new ClientCertificateRequest(rig.Card!.AuthCertificate, rig.ModulePath, SoftHsmCardFactory.AuthLabel, [0x01], pin: null);
        EkengException? error = null;
        string spy = rig.Spy(() => error = Assert.ThrowsAny<EkengException>(() => TokenClientCertificate.Load(request, NullLogger.Instance)));
        Assert.Equal("PinRequired", error!.ErrorId);
        Assert.DoesNotContain("C_Login", spy);
    }

    [SkippableFact]
    public void A_Missing_Engine_Names_The_Debian_Package()
    {
        rig.Require();
        EkengException? missing = Pkcs11Engine.Probe("pkcs11-not-installed");
        Assert.NotNull(missing);
        Assert.Equal("TlsEngineMissing", missing!.ErrorId);
        Assert.Contains("libengine-pkcs11-openssl", missing.RecommendedAction);
        Assert.Null(Pkcs11Engine.Probe("pkcs11"));
    }

    [SkippableFact]
    public async Task A_Server_Of_Another_Ca_Is_Refused_With_Validation_On()
    {
        rig.Require();
        await using MtlsTestServer server = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root);
        var trust = ServerTrust.FromCertificates([rig.Card.CaCertificate], "rig-ca.pem");
        using HttpMessageHandler handler = new OpenSslEngineHandlerFactory().CreateHandler(AuthRequest(TokenRig.AuthPinText), trust, NullLogger.Instance);
        using var client = new HttpClient(handler);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri(server.BaseUri, "whoami")));
        Assert.Contains("does not chain", trust.LastFailure);
    }

    /// <summary>The handshake alone (SslStream, no resumption) with the token key and with a software key, same server, same run.</summary>
    [SkippableFact]
    public async Task Handshake_Time_With_The_Token_Key_Is_Close_To_A_Software_Key()
    {
        rig.Require();
        await using MtlsTestServer server = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root);
        using TokenClientCertificate token = TokenClientCertificate.Load(AuthRequest(TokenRig.AuthPinText), NullLogger.Instance);
        using RSA softKey = RSA.Create(2048);
        using X509Certificate2 soft = SoftHsmCardFactory.Issue(rig.Card.CaCertificate, softKey, new RigHolder("SOFT", "KEY", "9876543210"), isSigning: false).CopyWithPrivateKey(softKey);
        var trust = ServerTrust.FromPemFile(server.ServerCaPem);
        const int Rounds = 15;
        for (int i = 0; i < 3; i++)
        {
            await HandshakeAsync(server.BaseUri, token.Certificate, trust);
            await HandshakeAsync(server.BaseUri, soft, trust);
        }

        var tokenTimes = new List<double>();
        var softTimes = new List<double>();
        for (int i = 0; i < Rounds; i++)
        {
            tokenTimes.Add(await HandshakeAsync(server.BaseUri, token.Certificate, trust));
            softTimes.Add(await HandshakeAsync(server.BaseUri, soft, trust));
        }

        double tokenMedian = Median(tokenTimes), softMedian = Median(softTimes), ratio = tokenMedian / softMedian;
        string line = $"mTLS handshake median over {Rounds}: token key {tokenMedian:F2} ms, software key {softMedian:F2} ms, ratio {ratio:F2} (goal <= 1.5)";
        output.WriteLine(line);
        Console.WriteLine(line);
        string? report = Environment.GetEnvironmentVariable("EKENG_HANDSHAKE_REPORT");
        if (!string.IsNullOrEmpty(report))
        {
            File.WriteAllText(report, $"{{\"tokenMs\":{tokenMedian:F3},\"softwareMs\":{softMedian:F3},\"ratio\":{ratio:F3},\"rounds\":{Rounds}}}");
        }

        // No timing bound here: the figures are reported (tests/bench/Crm.Bench.ps1 reads them); the test asserts
        // that every handshake with the token key completed with a response (HandshakeAsync).
        Assert.Equal(Rounds, tokenTimes.Count);
    }

    private static void ProtocolRoute(Microsoft.AspNetCore.Builder.WebApplication app) =>
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/protocol", (Microsoft.AspNetCore.Http.HttpContext c) =>
            $"{c.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.Protocol} {c.Connection.ClientCertificate?.Thumbprint}");

    private static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void WaitForPort(int port, Process server)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        bool listening = false;
        while (!listening)
        {
            Assert.False(server.HasExited, "openssl s_server exited");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(System.Net.IPAddress.Loopback, port);
                listening = true;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static async Task<double> HandshakeAsync(Uri server, X509Certificate2 certificate, ServerTrust trust)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var ssl = new SslStream(tcp.GetStream());
        var sw = Stopwatch.StartNew();
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = server.Host,
            AllowTlsResume = false,
            EnabledSslProtocols = SslProtocols.Tls13,
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = (_, c, _, e) => trust.Validate(c as X509Certificate2, e),
        });
        // TLS 1.3 sends the client certificate after the server's Finished: one read makes the server act on it.
        byte[] request = "GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray();
        await ssl.WriteAsync(request);
        byte[] buffer = new byte[1024];
        int n = await ssl.ReadAsync(buffer);
        sw.Stop();
        Assert.True(n > 0);
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
