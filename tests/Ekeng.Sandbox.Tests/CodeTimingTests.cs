using System.Net;

namespace Ekeng.Sandbox.Tests;

/// <summary>
/// SMS code lifetime (5 min) and resend (after 30 s), on the sandbox's own clock moved forward by the test: no real
/// waits, so a busy machine cannot turn them red or green.
/// </summary>
public sealed class CodeTimingTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Code_Expires_AfterItsLifetime_NotBefore()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(phone));
        string code = await f.LatestCode(phone);
        string wrong = code == "000000" ? "111111" : "000000";

        await f.AdvanceClock(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(5));
        var (s1, e1) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = wrong });
        Assert.Equal(HttpStatusCode.BadRequest, s1);                       // still live: judged, not expired
        Assert.Equal("SmsCodeIncorrect", e1.GetProperty("error").GetString());

        await f.AdvanceClock(TimeSpan.FromSeconds(6));
        var (s2, e2) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code });
        Assert.Equal(HttpStatusCode.Gone, s2);
        Assert.Equal("SmsCodeExpired", e2.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Resend_SendsASecondSms_OldRefusedBeforeAnyWrongTry_NewWorks()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(phone));
        string old = Assert.Single(await f.SmsCodes(phone));

        await f.AdvanceClock(TimeSpan.FromSeconds(31));
        var (s1, reg) = await SandboxFixture.Post(c, "/api/v1/registration/resend", new { });
        Assert.Equal(HttpStatusCode.Accepted, s1);
        Assert.Equal("PendingCode", reg.GetProperty("status").GetString());
        Assert.Equal(3, reg.GetProperty("code").GetProperty("attemptsLeft").GetInt32());
        List<string> sms = await f.SmsCodes(phone);
        Assert.Equal(2, sms.Count);
        string fresh = sms[0];
        Assert.Equal(old, sms[1]);
        Assert.NotEqual(old, fresh);

        // The old code, first thing after the resend (no wrong try has been made): refused as replaced,
        // and it costs the new code no try.
        var (s2, e2) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = old });
        Assert.Equal(HttpStatusCode.Gone, s2);
        Assert.Equal("SmsCodeVoided", e2.GetProperty("error").GetString());
        var (_, pending) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal(3, pending.GetProperty("code").GetProperty("attemptsLeft").GetInt32());

        var (s3, active) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = fresh });
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal("Active", active.GetProperty("status").GetString());
    }
}
