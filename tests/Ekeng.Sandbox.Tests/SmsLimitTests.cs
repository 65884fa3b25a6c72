using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>A sandbox with a daily cap of 4 SMS codes per holder (--sms-daily-limit 4) and the default 30 s resend interval.</summary>
public sealed class SmsLimitFixture() : SandboxFixture(["--sms-daily-limit", "4"]);

/// <summary>
/// The SMS code limits hold whichever path sends a code: a new POST /registration while a code is pending obeys the
/// resend interval, and resends and POSTs together obey the daily cap; a refused request changes nothing.
/// </summary>
public sealed class SmsLimitTests(SmsLimitFixture f) : IClassFixture<SmsLimitFixture>
{
    [Fact]
    public async Task PostAgain_WhilePending_TooSoon_429RetryAfter_OldCodeValidWithItsTries()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        var (s1, _) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(phone));
        Assert.Equal(HttpStatusCode.Accepted, s1);
        string code = Assert.Single(await f.SmsCodes(phone));
        string wrong = code == "000000" ? "111111" : "000000";
        var (_, e0) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = wrong });
        Assert.Equal(2, e0.GetProperty("attemptsLeft").GetInt32());

        using HttpResponseMessage r = await c.PostAsJsonAsync("/api/v1/registration", SandboxFixture.Registration(phone));
        Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        int header = (int)r.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(header, 1, 30);
        JsonElement body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ResendTooSoon", body.GetProperty("error").GetString());
        Assert.Equal(header, body.GetProperty("retryAfterSeconds").GetInt32());

        Assert.Equal([code], await f.SmsCodes(phone));                     // no second SMS
        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal(2, reg.GetProperty("code").GetProperty("attemptsLeft").GetInt32());   // tries not renewed
        var (s3, active) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code });
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal("Active", active.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PostAgain_AfterTheInterval_NewCode_OldVoided()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(phone));
        string old = Assert.Single(await f.SmsCodes(phone));
        await f.AdvanceClock(TimeSpan.FromSeconds(31));
        var (s, reg) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(phone));
        Assert.Equal(HttpStatusCode.Accepted, s);
        Assert.Equal(3, reg.GetProperty("code").GetProperty("attemptsLeft").GetInt32());
        List<string> sms = await f.SmsCodes(phone);
        Assert.Equal(2, sms.Count);
        var (s2, e2) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = old });
        Assert.Equal(HttpStatusCode.Gone, s2);
        Assert.Equal("SmsCodeVoided", e2.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DailyCap_AcrossPostsAndResends_429SmsDailyLimit_UntilTheNextUtcDay()
    {
        // Start just after a UTC midnight of the sandbox's clock, so that the whole test lies in one day.
        DateTimeOffset now = await f.AdvanceClock(TimeSpan.Zero);
        await f.AdvanceClock(now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime + TimeSpan.FromMinutes(1));

        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        string[] paths = ["/api/v1/registration", "/api/v1/registration/resend", "/api/v1/registration", "/api/v1/registration/resend"];
        foreach (string path in paths)
        {
            var (s, _) = path.EndsWith("resend", StringComparison.Ordinal)
                ? await SandboxFixture.Post(c, path, new { })
                : await SandboxFixture.Post(c, path, SandboxFixture.Registration(phone));
            Assert.Equal(HttpStatusCode.Accepted, s);
            await f.AdvanceClock(TimeSpan.FromSeconds(31));
        }
        List<string> sent = await f.SmsCodes(phone);
        Assert.Equal(4, sent.Count);

        foreach (string path in new[] { "/api/v1/registration/resend", "/api/v1/registration" })
        {
            using HttpResponseMessage r = path.EndsWith("resend", StringComparison.Ordinal)
                ? await c.PostAsJsonAsync(path, new { })
                : await c.PostAsJsonAsync(path, SandboxFixture.Registration(phone));
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            JsonElement e = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("SmsDailyLimit", e.GetProperty("error").GetString());
            Assert.Equal(4, e.GetProperty("dailyLimit").GetInt32());
            int header = (int)r.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
            Assert.InRange(header, 23 * 3600, 24 * 3600);                  // until the next UTC midnight
            Assert.Equal(header, e.GetProperty("retryAfterSeconds").GetInt32());
        }
        Assert.Equal(sent, await f.SmsCodes(phone));                       // nothing more was sent

        // The latest code still works after the refusals; the next day a new code can be sent again.
        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal(3, reg.GetProperty("code").GetProperty("attemptsLeft").GetInt32());
        await f.AdvanceClock(TimeSpan.FromDays(1));
        var (s5, _) = await SandboxFixture.Post(c, "/api/v1/registration/resend", new { });
        Assert.Equal(HttpStatusCode.Accepted, s5);
        Assert.Equal(5, (await f.SmsCodes(phone)).Count);
    }
}
