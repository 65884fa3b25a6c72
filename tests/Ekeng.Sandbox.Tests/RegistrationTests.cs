using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

public sealed class RegistrationTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task FullRegistration_ActiveWithUsableFromThreeHoursLater()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        JsonElement terms = await c.GetFromJsonAsync<JsonElement>("/api/v1/terms");
        Assert.Equal("2026-01", terms.GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(terms.GetProperty("text").GetString()));

        var (s1, pending) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(SandboxFixture.PhoneFor(psn)));
        Assert.Equal(HttpStatusCode.Accepted, s1);
        Assert.Equal("PendingCode", pending.GetProperty("status").GetString());
        Assert.Equal(6, pending.GetProperty("code").GetProperty("length").GetInt32());
        Assert.Equal(3, pending.GetProperty("code").GetProperty("attemptsLeft").GetInt32());

        string code = await f.LatestCode(SandboxFixture.PhoneFor(psn));
        Assert.Matches("^[0-9]{6}$", code);
        var (s2, active) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code });
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal("Active", active.GetProperty("status").GetString());
        DateTimeOffset activated = active.GetProperty("activatedAt").GetDateTimeOffset(), usable = active.GetProperty("usableFrom").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromHours(3), usable - activated);

        // Already Active: 200 unchanged, no new SMS.
        var (s3, again) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(SandboxFixture.PhoneFor(psn)));
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal("Active", again.GetProperty("status").GetString());
        Assert.Equal(code, await f.LatestCode(SandboxFixture.PhoneFor(psn)));
    }

    [Fact]
    public async Task ThreeWrongCodes_VoidIt()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(SandboxFixture.PhoneFor(psn)));
        string code = await f.LatestCode(SandboxFixture.PhoneFor(psn));
        string wrong = code == "000000" ? "111111" : "000000";
        for (int left = 2; left >= 0; left--)
        {
            var (s, e) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = wrong });
            Assert.Equal(HttpStatusCode.BadRequest, s);
            Assert.Equal("SmsCodeIncorrect", e.GetProperty("error").GetString());
            Assert.Equal(left, e.GetProperty("attemptsLeft").GetInt32());
        }
        var (s4, voided) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code });
        Assert.Equal(HttpStatusCode.Gone, s4);
        Assert.Equal("SmsCodeVoided", voided.GetProperty("error").GetString());
        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal("PendingCode", reg.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Resend_TooSoon_429WithRetryAfter()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(SandboxFixture.PhoneFor(psn)));
        using HttpResponseMessage r = await c.PostAsJsonAsync("/api/v1/registration/resend", new { });
        Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        int header = (int)r.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(header, 1, 30);
        JsonElement body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ResendTooSoon", body.GetProperty("error").GetString());
        Assert.Equal(header, body.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task NoPendingCode_409()
    {
        (_, _, HttpClient c) = f.NewHolder();
        var (s1, e1) = await SandboxFixture.Post(c, "/api/v1/registration/resend", new { });
        Assert.Equal(HttpStatusCode.Conflict, s1);
        Assert.Equal("NoPendingCode", e1.GetProperty("error").GetString());
        var (s2, e2) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = "123456" });
        Assert.Equal(HttpStatusCode.Conflict, s2);
        Assert.Equal("NoPendingCode", e2.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("+374 91 234567")]
    [InlineData("091 234567")]
    [InlineData("91234567")]
    [InlineData("0037491234567")]
    public async Task Phone_AcceptedForms_NormalisedToE164(string input)
    {
        (_, _, HttpClient c) = f.NewHolder();
        var (s, reg) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(input));
        Assert.Equal(HttpStatusCode.Accepted, s);
        Assert.Equal("+37491234567", reg.GetProperty("phone").GetString());
        using HttpClient anon = f.Sandbox.Client();
        JsonElement outbox = await anon.GetFromJsonAsync<JsonElement>("/sandbox/sms?phone=" + Uri.EscapeDataString(input));
        Assert.Equal("+37491234567", outbox[0].GetProperty("phone").GetString());
    }

    [Theory]
    [InlineData("+37410123456")]   // Yerevan landline
    [InlineData("12345")]
    [InlineData("+79161234567")]   // Russian mobile
    [InlineData("")]
    public async Task Phone_Invalid_400(string input)
    {
        (_, _, HttpClient c) = f.NewHolder();
        var (s, e) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(input));
        Assert.Equal(HttpStatusCode.BadRequest, s);
        Assert.Equal("InvalidPhone", e.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DataAndTerms_Checked()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        var (s1, e1) = await SandboxFixture.Post(c, "/api/v1/registration", new { phone, dataConfirmed = false, termsAccepted = true, termsVersion = "2026-01" });
        Assert.Equal((HttpStatusCode.BadRequest, "DataNotConfirmed"), (s1, e1.GetProperty("error").GetString()));
        var (s2, e2) = await SandboxFixture.Post(c, "/api/v1/registration", new { phone, dataConfirmed = true, termsAccepted = false, termsVersion = "2026-01" });
        Assert.Equal((HttpStatusCode.BadRequest, "TermsNotAccepted"), (s2, e2.GetProperty("error").GetString()));
        var (s3, e3) = await SandboxFixture.Post(c, "/api/v1/registration", new { phone, dataConfirmed = true, termsAccepted = true, termsVersion = "2025-01" });
        Assert.Equal((HttpStatusCode.Conflict, "TermsVersionChanged"), (s3, e3.GetProperty("error").GetString()));
        Assert.Equal("2026-01", e3.GetProperty("termsVersion").GetString());
    }
}
