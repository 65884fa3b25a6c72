using System.Net;

namespace Ekeng.Sandbox.Tests;

/// <summary>SMS code lifetime and resend, with a sandbox whose codes live 2 s and may be resent after 2 s.</summary>
public sealed class CodeTimingTests(ShortTimingsFixture f) : IClassFixture<ShortTimingsFixture>
{
    [Fact]
    public async Task Code_Expires()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(SandboxFixture.PhoneFor(psn)));
        string code = await f.LatestCode(SandboxFixture.PhoneFor(psn));
        await Task.Delay(2300);
        var (s, e) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code });
        Assert.Equal(HttpStatusCode.Gone, s);
        Assert.Equal("SmsCodeExpired", e.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Resend_VoidsOld_NewWorks()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(phone));
        string old = await f.LatestCode(phone);
        await Task.Delay(2100);
        var (s1, reg) = await SandboxFixture.Post(c, "/api/v1/registration/resend", new { });
        Assert.Equal(HttpStatusCode.Accepted, s1);
        Assert.Equal("PendingCode", reg.GetProperty("status").GetString());
        string fresh = await f.LatestCode(phone);
        if (fresh != old)
        {
            var (s2, e2) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = old });
            Assert.Equal(HttpStatusCode.Gone, s2);
            Assert.Equal("SmsCodeVoided", e2.GetProperty("error").GetString());
        }
        var (s3, active) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = fresh });
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal("Active", active.GetProperty("status").GetString());
    }
}
