using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>A sandbox whose EKENG side registers orders with sessionTimeoutSecs 1 (--payment-session-timeout).</summary>
public sealed class ShortPaymentSessionFixture() : SandboxFixture(["--payment-session-timeout", "1"]);

/// <summary>A sandbox whose EKENG side calls its gateway on a closed port (--gateway-base-for-ekeng).</summary>
public sealed class UnreachableGatewayFixture() : SandboxFixture(["--gateway-base-for-ekeng", "https://127.0.0.1:9"]);

/// <summary>--payment-session-timeout: EKENG's side sends it, so its orders expire at the gateway (EKENG's status Expired); the next order is a new attempt.</summary>
public sealed class PaymentSessionTimeoutTests(ShortPaymentSessionFixture f) : IClassFixture<ShortPaymentSessionFixture>
{
    [Fact]
    public async Task Order_NotPaidWithinTheSession_Expired_Minus2007_ThenNewAttempt()
    {
        var (psn, c) = await f.ActiveHolder();
        var (s1, first) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Created, s1);
        Assert.Equal("Pending", first.GetProperty("status").GetString());
        string number = first.GetProperty("orderNumber").GetString()!;

        await f.AdvanceClock(TimeSpan.FromSeconds(2));                    // past the 1 s session, on the sandbox's clock
        var (s2, expired) = await SandboxFixture.Get(c, "/api/v1/fee/orders/" + number);
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal("Expired", expired.GetProperty("status").GetString());
        Assert.Equal(-2007, expired.GetProperty("actionCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("paidUntil").ValueKind);
        // (The gateway's own expiry, orderStatus 6 and a card page that takes no card: GatewayTests.SessionExpiry_Status6_Minus2007.)

        // The expired order is final: the next POST is a new order (attempt 2) of the same period, not a resume.
        var (s3, second) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Created, s3);
        Assert.Equal($"F{psn}{first.GetProperty("periodStart").GetString()!.Replace("-", "")}-2", second.GetProperty("orderNumber").GetString());
        Assert.Equal(first.GetProperty("periodStart").GetString(), second.GetProperty("periodStart").GetString());

        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal(JsonValueKind.Null, reg.GetProperty("paidUntil").ValueKind);
    }

    [Theory]
    [InlineData("--payment-session-timeout", "0", "whole seconds from 1 to 1200")]
    [InlineData("--payment-session-timeout", "1201", "whole seconds from 1 to 1200")]
    [InlineData("--payment-session-timeout", "3s", "whole seconds from 1 to 1200")]
    [InlineData("--gateway-base-for-ekeng", "https://10.1.2.3:9", "loopback only")]
    [InlineData("--gateway-base-for-ekeng", "http://127.0.0.1:9", "not an https:// URL")]
    public void BadOption_Exit2(string option, string value, string reason)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { SandboxProcess.SandboxDll, "--data", Path.Combine(f.Root, "refused"), option, value })
            info.ArgumentList.Add(a);
        using Process p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains(reason, err);
    }
}

/// <summary>
/// --gateway-base-for-ekeng on a closed port: 502 GatewayUnavailable and no order stored on EKENG's side; once the
/// gateway is reachable again the same period gets exactly one order, attempt 1 (the failed call burned nothing and
/// left nothing that a retry could duplicate or resume).
/// </summary>
public sealed class UnreachableGatewayTests(UnreachableGatewayFixture f) : IClassFixture<UnreachableGatewayFixture>
{
    [Fact]
    public async Task CreateOrder_GatewayUnreachable_502_NothingStored_ThenOneOrderOnceReachable()
    {
        var (psn, c) = await f.ActiveHolder();
        var (s, e) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.BadGateway, s);
        Assert.Equal("GatewayUnavailable", e.GetProperty("error").GetString());
        var (s2, list) = await SandboxFixture.Get(c, "/api/v1/fee/orders");
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal(0, list.GetArrayLength());
        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        Assert.Equal("Active", reg.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, reg.GetProperty("paidUntil").ValueKind);

        // The same data directory, now with EKENG's side talking to its gateway listener.
        f.Restart([.. f.Extra.Where(a => a is not "--gateway-base-for-ekeng" and not "https://127.0.0.1:9")]);
        var holder = f.Pki.Holder("ARMEN", "SARGSYAN", psn);
        using HttpClient again = f.Sandbox.Client(holder);
        var (s3, order) = await SandboxFixture.Post(again, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Created, s3);
        Assert.EndsWith("-1", order.GetProperty("orderNumber").GetString());
        using HttpClient anon = f.Sandbox.Client();
        JsonElement gateway = await anon.GetFromJsonAsync<JsonElement>("/sandbox/gateway/orders");
        Assert.Equal(1, gateway.EnumerateArray().Count(o => o.GetProperty("orderNumber").GetString()!.StartsWith($"F{psn}", StringComparison.Ordinal)));
        var (_, list2) = await SandboxFixture.Get(again, "/api/v1/fee/orders");
        Assert.Equal(1, list2.GetArrayLength());
    }
}
