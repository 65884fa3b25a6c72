using System.Net;
using System.Net.Sockets;
using Ekeng.Testing.Rig;
using Ekeng.Diagnostics;
using Ekeng.Http;

namespace Ekeng.Crm.Tests.Crm;

/// <summary>The contract's calls, error ids and retry rules against an in-memory endpoint.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class CrmClientTests
{
    private const string Pending = """{"holderName":"ARMEN SARGSYAN","publicServiceNumber":"0123456789","phone":"+37491234567","status":"PendingCode","payOnline":false,"termsVersion":"2026-01","requestedAt":"2026-11-27T03:40:00Z","activatedAt":null,"usableFrom":null,"paidUntil":null,"code":{"length":6,"expiresAt":"2026-11-27T03:45:00Z","attemptsLeft":3}}""";
    private const string Active = """{"holderName":"ARMEN SARGSYAN","publicServiceNumber":"0123456789","phone":"+37491234567","status":"Active","payOnline":false,"termsVersion":"2026-01","activatedAt":"2026-11-27T03:41:00Z","usableFrom":"2026-11-27T06:41:00Z","code":null}""";

    private static (CrmClient Client, StubHandler Stub) Make(Func<HttpRequestMessage, int, HttpResponseMessage> answer, TimeSpan? timeout = null)
    {
        var stub = new StubHandler(answer);
        var options = new EkengSessionOptions(new Uri("https://crm.example/"), ServerTrust.System) { RetryDelay = TimeSpan.FromMilliseconds(5), Timeout = timeout ?? TimeSpan.FromSeconds(5) };
        return (new CrmClient(new EkengSession(stub, options)), stub);
    }

    [Fact]
    public async Task Register_Sends_The_Normalised_Number_With_Data_And_Terms_Confirmed()
    {
        (CrmClient client, StubHandler stub) = Make((_, _) => StubHandler.Json(HttpStatusCode.Accepted, Pending));
        CrmRegistration r = await client.RegisterAsync("091 234567", "2026-01", payOnline: false, CancellationToken.None);

        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/v1/registration", request.Path);
        Assert.Equal("""{"phone":"+37491234567","dataConfirmed":true,"termsAccepted":true,"termsVersion":"2026-01","payOnline":false}""", request.Body);
        Assert.Equal(CrmRegistrationStatus.PendingCode, r.Status);
        Assert.Equal("+374******67", r.Phone);
        Assert.Equal(6, r.CodeLength);
        Assert.Equal(3, r.AttemptsLeft);
        Assert.Equal(new DateTime(2026, 11, 27, 3, 45, 0, DateTimeKind.Utc), r.CodeExpiresAt);
        Assert.Equal("ARMEN SARGSYAN", r.HolderName);
    }

    [Fact]
    public async Task An_Invalid_Number_Is_Refused_Before_Anything_Is_Sent()
    {
        (CrmClient client, StubHandler stub) = Make((_, _) => StubHandler.Json(HttpStatusCode.Accepted, Pending));
        var e = await Assert.ThrowsAsync<EkengException>(() => client.RegisterAsync("010 123456", "2026-01", false, CancellationToken.None));
        Assert.Equal("InvalidPhoneNumber", e.ErrorId);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task Activate_Sends_The_Code_As_Json_And_Checks_Its_Shape_First()
    {
        (CrmClient client, StubHandler stub) = Make((_, _) => StubHandler.Json(HttpStatusCode.OK, Active));
        CrmRegistration r = await client.ActivateAsync(TokenRig.Secure("012345"), 6, CancellationToken.None);
        Assert.Equal(CrmRegistrationStatus.Active, r.Status);
        Assert.Equal(new DateTime(2026, 11, 27, 6, 41, 0, DateTimeKind.Utc), r.UsableFrom);
        Assert.Equal("""{"code":"012345"}""", Assert.Single(stub.Requests).Body);

        var shape = await Assert.ThrowsAsync<CrmException>(() => client.ActivateAsync(TokenRig.Secure("1234"), 6, CancellationToken.None));
        Assert.Equal("InvalidSmsCode", shape.ErrorId);
        var letters = await Assert.ThrowsAsync<CrmException>(() => client.ActivateAsync(TokenRig.Secure("12a456"), null, CancellationToken.None));
        Assert.Equal("InvalidSmsCode", letters.ErrorId);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData(400, """{"error":"SmsCodeIncorrect","message":"Wrong code.","attemptsLeft":2}""", "SmsCodeIncorrect", EkengErrorKind.AuthenticationError)]
    [InlineData(410, """{"error":"SmsCodeExpired","message":"Expired."}""", "SmsCodeExpired", EkengErrorKind.InvalidOperation)]
    [InlineData(410, """{"error":"SmsCodeVoided","message":"Void."}""", "SmsCodeVoided", EkengErrorKind.InvalidOperation)]
    [InlineData(409, """{"error":"NoPendingCode","message":"None."}""", "NoPendingCode", EkengErrorKind.InvalidOperation)]
    [InlineData(403, """{"error":"ClientCertificateUntrusted","message":"Issuer is not a configured CA."}""", "ClientCertificateRefused", EkengErrorKind.PermissionDenied)]
    [InlineData(403, """{"error":"ClientCertificateExpired","message":"Expired certificate."}""", "ClientCertificateRefused", EkengErrorKind.PermissionDenied)]
    [InlineData(418, """{"error":"Teapot","message":"I am a teapot."}""", "CrmError", EkengErrorKind.InvalidOperation)]
    [InlineData(500, "oops", "CrmError", EkengErrorKind.InvalidResult)]
    public async Task Server_Errors_Become_Stable_Ids_With_The_Server_Reason(int status, string body, string id, EkengErrorKind kind)
    {
        (CrmClient client, _) = Make((_, _) => StubHandler.Json((HttpStatusCode)status, body));
        var e = await Assert.ThrowsAnyAsync<EkengException>(() => client.ActivateAsync(TokenRig.Secure("123456"), 6, CancellationToken.None));
        Assert.Equal(id, e.ErrorId);
        Assert.Equal(kind, e.Kind);
        if (id == "SmsCodeIncorrect")
        {
            Assert.Equal(2, ((CrmException)e).AttemptsLeft);
            Assert.Contains("2 attempt(s) left", e.Message);
        }

        if (body.Contains("message", StringComparison.Ordinal) && id is "ClientCertificateRefused" or "CrmError")
        {
            Assert.Contains(body.Split("\"message\":\"")[1].Split('"')[0], e.Message);
        }
    }

    [Fact]
    public async Task A_Success_Whose_Body_Is_Not_The_Contracts_Json_Is_CrmProtocolError()
    {
        (CrmClient client, _) = Make((_, _) => StubHandler.Json(HttpStatusCode.OK, "<html>a captive portal</html>"));
        var e = await Assert.ThrowsAnyAsync<EkengException>(() => client.ActivateAsync(TokenRig.Secure("123456"), 6, CancellationToken.None));
        Assert.Equal("CrmProtocolError", e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidResult, e.Kind);
        Assert.Contains("does not understand", e.Message);
    }

    [Fact]
    public async Task Resend_Too_Soon_Carries_The_Wait()
    {
        (CrmClient client, _) = Make((_, _) => StubHandler.Json((HttpStatusCode)429, """{"error":"ResendTooSoon","message":"Wait.","retryAfterSeconds":17}""", retryAfter: 17));
        var e = await Assert.ThrowsAsync<CrmException>(() => client.ResendAsync(CancellationToken.None));
        Assert.Equal("ResendTooSoon", e.ErrorId);
        Assert.Equal(TimeSpan.FromSeconds(17), e.RetryAfter);
        Assert.Contains("17 s", e.Message);
    }

    [Fact]
    public async Task Gets_Retry_A_Few_Times_With_Doubling_Backoff_But_Posts_Are_Sent_Once()
    {
        // The pauses are recorded through the session's delay hook, with the request count at each pause.
        var pauses = new List<(TimeSpan Delay, int RequestsBefore)>();
        StubHandler? current = null;
        (CrmClient, StubHandler) MakeRecorded(Func<HttpRequestMessage, int, HttpResponseMessage> answer)
        {
            var stub = new StubHandler(answer);
            current = stub;
            var options = new EkengSessionOptions(new Uri("https://crm.example/"), ServerTrust.System)
            {
                RetryDelay = TimeSpan.FromMilliseconds(400),
                GetAttempts = 3,
                Delay = (d, _) =>
                {
                    pauses.Add((d, current!.Requests.Count));
                    return Task.CompletedTask;
                },
            };
            return (new CrmClient(new EkengSession(stub, options)), stub);
        }

        (CrmClient client, StubHandler stub) = MakeRecorded((_, n) => n < 3 ? StubHandler.Json(HttpStatusCode.ServiceUnavailable, "{}") : StubHandler.Json(HttpStatusCode.OK, Active));
        CrmRegistration r = await client.GetRegistrationAsync(CancellationToken.None);
        Assert.Equal(CrmRegistrationStatus.Active, r.Status);
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal([(TimeSpan.FromMilliseconds(400), 1), (TimeSpan.FromMilliseconds(800), 2)], pauses);

        pauses.Clear();
        (CrmClient always, StubHandler down) = MakeRecorded((_, _) => StubHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"));
        var get = await Assert.ThrowsAsync<EkengException>(() => always.GetTermsAsync(CancellationToken.None));
        Assert.Equal("CrmUnavailable", get.ErrorId);
        Assert.Equal(3, down.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)], pauses.Select(p => p.Delay));

        // A POST: sent once, no pause at all.
        pauses.Clear();
        var post = await Assert.ThrowsAsync<EkengException>(() => always.RegisterAsync("091234567", "2026-01", false, CancellationToken.None));
        Assert.Equal("CrmUnavailable", post.ErrorId);
        Assert.Equal(4, down.Requests.Count);
        Assert.Empty(pauses);
    }

    [Fact]
    public async Task A_Slow_Service_Is_A_Timeout_And_A_Closed_Port_Unreachable()
    {
        var options = new EkengSessionOptions(new Uri("https://crm.example/"), ServerTrust.System) { Timeout = TimeSpan.FromMilliseconds(100), GetAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(5) };
        using var hanging = new EkengSession(new HangingHandler(), options);
        var timeout = await Assert.ThrowsAsync<EkengException>(() => new CrmClient(hanging).GetTermsAsync(CancellationToken.None));
        Assert.Equal("CrmTimeout", timeout.ErrorId);
        Assert.Equal(EkengErrorKind.OperationTimeout, timeout.Kind);

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var closed = EkengSession.Open(new EkengSessionOptions(new Uri($"https://127.0.0.1:{port}/"), ServerTrust.System) { GetAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(5) });
        var unreachable = await Assert.ThrowsAsync<EkengException>(() => new CrmClient(closed).GetTermsAsync(CancellationToken.None));
        Assert.Equal("CrmUnreachable", unreachable.ErrorId);
        Assert.Equal(EkengErrorKind.ConnectionError, unreachable.Kind);
    }

    [Fact]
    public void The_Service_Is_Named_By_The_Parameter_Then_The_Environment_And_Never_By_Omission()
    {
        string? saved = Environment.GetEnvironmentVariable(EkengSessionOptions.CrmUriVariable);
        try
        {
            Environment.SetEnvironmentVariable(EkengSessionOptions.CrmUriVariable, null);
            // No service named: none (the real crm.ekeng.am is a page for the holder, not an API sent to by omission).
            Assert.Null(EkengSessionOptions.ResolveNamedCrmUri(null));
            Environment.SetEnvironmentVariable(EkengSessionOptions.CrmUriVariable, "https://127.0.0.1:4443");
            Assert.Equal(new Uri("https://127.0.0.1:4443/"), EkengSessionOptions.ResolveNamedCrmUri(null));
            Assert.Equal(new Uri("https://other.example/x/"), EkengSessionOptions.ResolveNamedCrmUri(new Uri("https://other.example/x")));
            var http = Assert.Throws<EkengException>(() => EkengSessionOptions.ResolveNamedCrmUri(new Uri("http://crm.ekeng.am/")));
            Assert.Equal("InvalidCrmUri", http.ErrorId);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EkengSessionOptions.CrmUriVariable, saved);
        }
    }

    [Fact]
    public void A_Ca_File_Without_A_Certificate_Is_A_Clear_Error()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a pem");
            Assert.Equal("TrustedCaFileInvalid", Assert.Throws<EkengException>(() => ServerTrust.FromPemFile(path)).ErrorId);
            Assert.Equal("TrustedCaFileUnreadable", Assert.Throws<EkengException>(() => ServerTrust.FromPemFile(path + ".missing")).ErrorId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException();
        }
    }
}
