using System.Collections.Concurrent;
using System.Text.Json;
using Ekeng.Testing.Rig;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Rigs.SoftHsm;
using Ekeng.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>
/// CrmClient through EkengSession over the token's mutual TLS, against a tiny CRM of the contract in Kestrel: the
/// client's own behaviour in isolation (the real sandbox, src/Ekeng.Sandbox, is exercised end to end by the Pester
/// tests). The holder is the client certificate's.
/// </summary>
[Collection(TokenRigCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CrmOverTokenTlsTests(TokenRig rig)
{
    [SkippableFact]
    public async Task Registers_And_Activates_With_The_Token_Key_And_The_Code_From_The_Outbox()
    {
        rig.Require();

        var outbox = new ConcurrentQueue<string>();
        var state = new ConcurrentDictionary<string, string>();
        await using MtlsTestServer server = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root, app =>
        {
            app.MapGet("/api/v1/terms", () => Results.Json(new { version = "2026-01", text = "Terms." }));
            app.MapGet("/api/v1/me", (HttpContext c) => Results.Json(new { holderName = "ARMEN SARGSYAN", publicServiceNumber = "0123456789", certificateThumbprint = c.Connection.ClientCertificate!.Thumbprint, registration = new { status = state.GetValueOrDefault("status", "NotRegistered") } }));
            app.MapPost("/api/v1/registration", async (HttpContext c) =>
            {
                using JsonDocument body = await JsonDocument.ParseAsync(c.Request.Body);
                state["phone"] = body.RootElement.GetProperty("phone").GetString()!;
                state["status"] = "PendingCode";
                outbox.Enqueue("424242");
                return Results.Json(new { holderName = "ARMEN SARGSYAN", publicServiceNumber = "0123456789", phone = state["phone"], status = "PendingCode", termsVersion = "2026-01", code = new { length = 6, expiresAt = DateTime.UtcNow.AddMinutes(5), attemptsLeft = 3 } }, statusCode: 202);
            });
            app.MapPost("/api/v1/registration/activate", async (HttpContext c) =>
            {
                using JsonDocument body = await JsonDocument.ParseAsync(c.Request.Body);
                if (body.RootElement.GetProperty("code").GetString() != "424242")
                {
                    return Results.Json(new { error = "SmsCodeIncorrect", message = "Wrong code.", attemptsLeft = 2 }, statusCode: 400);
                }

                state["status"] = "Active";
                return Results.Json(new { holderName = "ARMEN SARGSYAN", publicServiceNumber = "0123456789", phone = state["phone"], status = "Active", termsVersion = "2026-01", activatedAt = DateTime.UtcNow, usableFrom = DateTime.UtcNow.AddHours(3) });
            });
        });

        var options = new EkengSessionOptions(server.BaseUri, ServerTrust.FromPemFile(server.ServerCaPem))
        {
            ClientCertificate = new ClientCertificateRequest(rig.Card.AuthCertificate, rig.ModulePath, SoftHsmCardFactory.AuthLabel, [0x01], TokenRig.Secure(TokenRig.AuthPinText)),
            HandlerFactory = new OpenSslEngineHandlerFactory(),
        };
        string spy = "";
        CrmRegistration? done = null;
        CrmAccount? me = null;
        spy = await Task.Run(() => rig.Spy(() =>
        {
            using EkengSession session = EkengSession.Open(options);
            var crm = new CrmClient(session);
            me = crm.GetMeAsync(CancellationToken.None).GetAwaiter().GetResult();
            CrmTerms terms = crm.GetTermsAsync(CancellationToken.None).GetAwaiter().GetResult();
            CrmRegistration pending = crm.RegisterAsync("+374 91 234567", terms.Version, false, CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal(CrmRegistrationStatus.PendingCode, pending.Status);
            var wrong = Assert.ThrowsAsync<CrmException>(() => crm.ActivateAsync(TokenRig.Secure("111111"), pending.CodeLength, CancellationToken.None)).GetAwaiter().GetResult();
            Assert.Equal(2, wrong.AttemptsLeft);
            Assert.True(outbox.TryDequeue(out string? code));
            done = crm.ActivateAsync(TokenRig.Secure(code!), pending.CodeLength, CancellationToken.None).GetAwaiter().GetResult();
        }));

        Assert.Equal(rig.Card.AuthCertificate.Thumbprint, me!.CertificateThumbprint);
        Assert.Equal(CrmRegistrationStatus.NotRegistered, me.Registration.Status);
        Assert.Equal(CrmRegistrationStatus.Active, done!.Status);
        Assert.Equal("+374******67", done.Phone);
        Assert.Equal("+37491234567", state["phone"]);
        Assert.All(server.Seen, t => Assert.Equal(rig.Card.AuthCertificate.Thumbprint, t));
        Assert.Contains("C_Sign", spy);
        TokenRig.AssertNoPrivateValueRead(spy);
    }

    [SkippableFact]
    public async Task A_Server_Outside_The_Named_Ca_Is_Refused_With_Validation_On()
    {
        Requires.Linux();
        Requires.InstalledFile(TokenRig.SoftHsmPath, "softhsm2");
        await using MtlsTestServer server = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root, mode: ClientCertificateMode.NoCertificate);
        using var session = EkengSession.Open(new EkengSessionOptions(server.BaseUri, ServerTrust.FromPemFile(rig.CaPemPath!)) { GetAttempts = 1 });
        var e = await Assert.ThrowsAsync<EkengException>(() => new CrmClient(session).GetTermsAsync(CancellationToken.None));
        Assert.Equal("ServerCertificateUntrusted", e.ErrorId);
        Assert.Equal(EkengErrorKind.SecurityError, e.Kind);

        using var system = EkengSession.Open(new EkengSessionOptions(server.BaseUri, ServerTrust.System) { GetAttempts = 1 });
        Assert.Equal("ServerCertificateUntrusted", (await Assert.ThrowsAsync<EkengException>(() => new CrmClient(system).GetTermsAsync(CancellationToken.None))).ErrorId);
    }

    [SkippableFact]
    public async Task A_307_On_The_Sms_Code_Post_Is_Not_Followed_With_The_Card_Login()
    {
        Requires.Linux();
        Requires.InstalledFile(TokenRig.SoftHsmPath, "softhsm2");
        Requires.InstalledFile(TokenRig.EnginePath, "libengine-pkcs11-openssl");
        // Another https host the client would trust too (its CA is named as well), asking for the card's certificate:
        // a followed redirect would bring it the SMS code and the card's login.
        var reached = new ConcurrentQueue<string>();
        await using MtlsTestServer elsewhere = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root, app =>
        {
            app.MapPost("/api/v1/registration/activate", (HttpContext c) => { reached.Enqueue(c.Request.Path); return Results.Json(new { status = "Active" }); });
            app.MapGet("/api/v1/terms", (HttpContext c) => { reached.Enqueue(c.Request.Path); return Results.Json(new { version = "x", text = "x" }); });
        });
        string target = new Uri(elsewhere.BaseUri, "api/v1/registration/activate").ToString();
        await using MtlsTestServer server = await MtlsTestServer.StartAsync(rig.Card!.CaCertificate, rig.Root, app =>
        {
            app.MapPost("/api/v1/registration/activate", () => Results.Redirect(target, permanent: false, preserveMethod: true));
            app.MapGet("/api/v1/terms", () => Results.Redirect(target, permanent: false, preserveMethod: true));
        });
        var options = new EkengSessionOptions(server.BaseUri, ServerTrust.FromCertificates([server.ServerCa, elsewhere.ServerCa]))
        {
            ClientCertificate = new ClientCertificateRequest(rig.Card.AuthCertificate, rig.ModulePath, SoftHsmCardFactory.AuthLabel, [0x01], TokenRig.Secure(TokenRig.AuthPinText)),
            HandlerFactory = new OpenSslEngineHandlerFactory(),
            GetAttempts = 1,
        };
        EkengException? post = null, get = null;
        await Task.Run(() =>
        {
            using EkengSession session = EkengSession.Open(options);
            var crm = new CrmClient(session);
            post = Assert.ThrowsAsync<EkengException>(() => crm.ActivateAsync(TokenRig.Secure("48151623"), 8, CancellationToken.None)).GetAwaiter().GetResult();
            get = Assert.ThrowsAsync<EkengException>(() => crm.GetTermsAsync(CancellationToken.None)).GetAwaiter().GetResult();
        });

        Assert.Equal("CrmRedirectRefused", post!.ErrorId);
        Assert.Equal("CrmRedirectRefused", get!.ErrorId);
        Assert.NotEmpty(server.Seen);  // the CRM itself was reached with the card's login
        Assert.Empty(elsewhere.Seen);
        Assert.Empty(reached);
    }
}
