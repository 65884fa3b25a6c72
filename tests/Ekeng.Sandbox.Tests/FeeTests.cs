using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>EKENG's fee side: orders registered with the gateway, resumed not duplicated, one paid order per period, register-and-pay.</summary>
public sealed class FeeTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    private async Task<int> GatewayOrdersWith(string orderNumberPrefix)
    {
        using HttpClient anon = f.Sandbox.Client();
        JsonElement all = await anon.GetFromJsonAsync<JsonElement>("/sandbox/gateway/orders");
        return all.EnumerateArray().Count(o => o.GetProperty("orderNumber").GetString()!.StartsWith(orderNumberPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fee_FromTheService()
    {
        var (_, c) = await f.ActiveHolder();
        var (s, fee) = await SandboxFixture.Get(c, "/api/v1/fee");
        Assert.Equal(HttpStatusCode.OK, s);
        Assert.Equal(3000, fee.GetProperty("amount").GetInt32());
        Assert.Equal("AMD", fee.GetProperty("currency").GetString());
        Assert.Equal("051", fee.GetProperty("currencyCode").GetString());
        Assert.Equal(12, fee.GetProperty("periodMonths").GetInt32());
        Assert.Equal(JsonValueKind.Null, fee.GetProperty("paidUntil").ValueKind);
    }

    [Fact]
    public async Task PaidUntil_TestControl_Sets_And_Clears_The_Holders_Paid_Period()
    {
        var (psn, c) = await f.ActiveHolder();
        string soon = DateTime.UtcNow.Date.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.NoContent, await f.Control($"/sandbox/test/paid-until?publicServiceNumber={psn}&paidUntil={soon}"));
        Assert.Equal(soon, (await SandboxFixture.Get(c, "/api/v1/fee")).Body.GetProperty("paidUntil").GetString());
        Assert.Equal(soon, (await SandboxFixture.Get(c, "/api/v1/registration")).Body.GetProperty("paidUntil").GetString());
        var (s, e) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Conflict, s);
        Assert.Equal("PeriodAlreadyPaid", e.GetProperty("error").GetString());

        Assert.Equal(HttpStatusCode.NoContent, await f.Control($"/sandbox/test/paid-until?publicServiceNumber={psn}&paidUntil="));
        Assert.Equal(JsonValueKind.Null, (await SandboxFixture.Get(c, "/api/v1/fee")).Body.GetProperty("paidUntil").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, await f.Control($"/sandbox/test/paid-until?publicServiceNumber={psn}&paidUntil=17.12.2026"));
        Assert.Equal(HttpStatusCode.NotFound, await f.Control("/sandbox/test/paid-until?publicServiceNumber=9999999999&paidUntil=" + soon));
    }

    [Fact]
    public async Task NotRegistered_409()
    {
        (_, _, HttpClient c) = f.NewHolder();
        var (s, e) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Conflict, s);
        Assert.Equal("NotRegistered", e.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Order_Resumed_NotDuplicated_ThenPaid_ThenPeriodAlreadyPaid()
    {
        var (psn, c) = await f.ActiveHolder();
        var (s1, first) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Created, s1);
        string number = first.GetProperty("orderNumber").GetString()!;
        Assert.Matches($"^F{psn}[0-9]{{8}}-1$", number);
        Assert.True(number.Length <= 32);
        Assert.Equal("Pending", first.GetProperty("status").GetString());

        var (s2, second) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal(number, second.GetProperty("orderNumber").GetString());
        Assert.Equal(1, await GatewayOrdersWith($"F{psn}"));

        // A return-URL visit alone proves nothing: still pending until the gateway says so.
        using (HttpClient anon = f.Sandbox.Client())
        {
            string ret = await anon.GetStringAsync("/sandbox/payment/return?orderId=" + first.GetProperty("orderId").GetString());
            Assert.Contains("not finished", ret);
        }

        using HttpResponseMessage post = await f.PayOnPage(first.GetProperty("paymentUrl").GetString()!, "4083060013681818");
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith($"{f.Sandbox.Crm.ToString().TrimEnd('/')}/sandbox/payment/return?orderId=", post.Headers.Location!.ToString());
        using (HttpClient anon = f.Sandbox.Client())
        {
            string ret = await anon.GetStringAsync(post.Headers.Location);
            Assert.Contains("Payment received: you may close this page", ret);
        }

        var (s3, paid) = await SandboxFixture.Get(c, "/api/v1/fee/orders/" + number);
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        Assert.Equal(2, paid.GetProperty("orderStatus").GetInt32());
        Assert.Equal("Visa", paid.GetProperty("method").GetString());
        Assert.Equal("408306**1818", paid.GetProperty("maskedPan").GetString());
        string periodEnd = paid.GetProperty("periodEnd").GetString()!;

        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal(periodEnd, reg.GetProperty("paidUntil").GetString());

        var (s4, already) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Conflict, s4);
        Assert.Equal("PeriodAlreadyPaid", already.GetProperty("error").GetString());
        Assert.Equal(periodEnd, already.GetProperty("paidUntil").GetString());

        var (s5, next) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en", nextPeriod = true });
        Assert.Equal(HttpStatusCode.Created, s5);
        Assert.Equal(periodEnd, next.GetProperty("periodStart").GetString());
        Assert.Equal(2, await GatewayOrdersWith($"F{psn}"));

        var (s6, list) = await SandboxFixture.Get(c, "/api/v1/fee/orders");
        Assert.Equal(HttpStatusCode.OK, s6);
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(next.GetProperty("orderNumber").GetString(), list[0].GetProperty("orderNumber").GetString());

        var (s7, _) = await SandboxFixture.Get(c, "/api/v1/fee/orders/F0000000000-1");
        Assert.Equal(HttpStatusCode.NotFound, s7);
    }

    [Fact]
    public async Task Declined_ThenNewAttempt()
    {
        var (psn, c) = await f.ActiveHolder();
        var (_, first) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "hy" });
        using (await f.PayOnPage(first.GetProperty("paymentUrl").GetString()!, "4000000000009995")) { }
        var (_, declined) = await SandboxFixture.Get(c, "/api/v1/fee/orders/" + first.GetProperty("orderNumber").GetString());
        Assert.Equal("Declined", declined.GetProperty("status").GetString());
        Assert.Equal(116, declined.GetProperty("actionCode").GetInt32());

        var (s, second) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "hy" });
        Assert.Equal(HttpStatusCode.Created, s);
        Assert.EndsWith("-2", second.GetProperty("orderNumber").GetString());
        Assert.Equal(first.GetProperty("periodStart").GetString(), second.GetProperty("periodStart").GetString());
        Assert.Equal(2, await GatewayOrdersWith($"F{psn}"));
    }

    [Fact]
    public async Task RegisterAndPay_FourDigitCode_PendingPayment_ThenActive()
    {
        (_, string psn, HttpClient c) = f.NewHolder();
        string phone = SandboxFixture.PhoneFor(psn);
        var (s1, pending) = await SandboxFixture.Post(c, "/api/v1/registration", SandboxFixture.Registration(phone, payOnline: true));
        Assert.Equal(HttpStatusCode.Accepted, s1);
        Assert.Equal(4, pending.GetProperty("code").GetProperty("length").GetInt32());
        using (HttpClient anon = f.Sandbox.Client())
        {
            JsonElement sms = await anon.GetFromJsonAsync<JsonElement>("/sandbox/sms?phone=" + Uri.EscapeDataString(phone));
            Assert.Equal("register-and-pay", sms[0].GetProperty("purpose").GetString());
            Assert.Matches("^[0-9]{4}$", sms[0].GetProperty("code").GetString());
        }
        var (s2, pp) = await SandboxFixture.Post(c, "/api/v1/registration/activate", new { code = await f.LatestCode(phone) });
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal("PendingPayment", pp.GetProperty("status").GetString());

        var (s3, order) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "hy" });
        Assert.Equal(HttpStatusCode.Created, s3);
        using (await f.PayOnPage(order.GetProperty("paymentUrl").GetString()!, GatewayTests.LuhnComplete("905100009876543"))) { }
        var (_, paid) = await SandboxFixture.Get(c, "/api/v1/fee/orders/" + order.GetProperty("orderNumber").GetString());
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        Assert.Equal("ArCa", paid.GetProperty("method").GetString());

        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal("Active", reg.GetProperty("status").GetString());
        Assert.Equal(paid.GetProperty("periodEnd").GetString(), reg.GetProperty("paidUntil").GetString());
        Assert.NotEqual(JsonValueKind.Null, reg.GetProperty("activatedAt").ValueKind);
    }
}
