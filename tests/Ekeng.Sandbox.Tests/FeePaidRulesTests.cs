using System.Net;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>
/// What EKENG's side calls Paid: the gateway's orderStatus 2 with the order's own amount, currency and number;
/// a hold (1) or a different amount is not paid; a reversal or refund takes the period back; a slow poll never
/// overwrites a later status.
/// </summary>
public sealed class FeePaidRulesTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    private const string HoldsOnly = "4000000000001091";

    private async Task<(HttpClient Client, JsonElement Order)> NewOrder()
    {
        var (_, c) = await f.ActiveHolder();
        var (s, order) = await SandboxFixture.Post(c, "/api/v1/fee/orders", new { language = "en" });
        Assert.Equal(HttpStatusCode.Created, s);
        Assert.Equal("051", order.GetProperty("currencyCode").GetString());
        return (c, order);
    }

    private static async Task<JsonElement> Order(HttpClient c, JsonElement order)
    {
        var (s, o) = await SandboxFixture.Get(c, "/api/v1/fee/orders/" + order.GetProperty("orderNumber").GetString());
        Assert.Equal(HttpStatusCode.OK, s);
        return o;
    }

    private static async Task<JsonElement> PaidUntil(HttpClient c)
    {
        var (_, reg) = await SandboxFixture.Get(c, "/api/v1/registration");
        return reg.GetProperty("paidUntil");
    }

    [Fact]
    public async Task Hold_OrderStatus1_IsNotPaid()
    {
        var (c, order) = await NewOrder();
        using (HttpResponseMessage post = await f.PayOnPage(order.GetProperty("paymentUrl").GetString()!, HoldsOnly))
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        JsonElement o = await Order(c, order);
        Assert.Equal(1, o.GetProperty("orderStatus").GetInt32());
        Assert.Equal("Pending", o.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, o.GetProperty("paidUntil").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await PaidUntil(c)).ValueKind);
    }

    [Theory]
    [InlineData("amount=30000", "amount")]            // 300 AMD instead of 3000
    [InlineData("currency=840", "currency")]          // USD instead of AMD
    [InlineData("orderNumber=F0000000000-1", "orderNumber")]
    public async Task GatewayReportsOtherValues_Deposited_NotPaid_Mismatch(string change, string field)
    {
        var (c, order) = await NewOrder();
        Assert.Equal(HttpStatusCode.NoContent, await f.Control($"/sandbox/test/gateway-order?orderId={order.GetProperty("orderId").GetString()}&{change}"));
        using (await f.PayOnPage(order.GetProperty("paymentUrl").GetString()!, "4083060013681818")) { }

        JsonElement o = await Order(c, order);
        Assert.Equal(2, o.GetProperty("orderStatus").GetInt32());
        Assert.Equal("Mismatch", o.GetProperty("status").GetString());
        Assert.Equal([field], o.GetProperty("mismatch").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal(JsonValueKind.Null, o.GetProperty("paidUntil").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await PaidUntil(c)).ValueKind);
        if (field == "amount") Assert.Equal(30000, o.GetProperty("gatewayAmount").GetInt64());
        if (field == "currency") Assert.Equal("840", o.GetProperty("gatewayCurrency").GetString());
        if (field == "orderNumber") Assert.Equal("F0000000000-1", o.GetProperty("gatewayOrderNumber").GetString());
    }

    [Fact]
    public async Task Paid_ReportsTheGatewaysValues()
    {
        var (c, order) = await NewOrder();
        using (await f.PayOnPage(order.GetProperty("paymentUrl").GetString()!, "4083060013681818")) { }
        JsonElement o = await Order(c, order);
        Assert.Equal("Paid", o.GetProperty("status").GetString());
        Assert.Equal(2, o.GetProperty("gatewayOrderStatus").GetInt32());
        Assert.Equal(300000, o.GetProperty("gatewayAmount").GetInt64());
        Assert.Equal("051", o.GetProperty("gatewayCurrency").GetString());
        Assert.Equal(order.GetProperty("orderNumber").GetString(), o.GetProperty("gatewayOrderNumber").GetString());
        Assert.Equal(JsonValueKind.Null, o.GetProperty("mismatch").ValueKind);
    }

    [Theory]
    [InlineData("reverse.do", "Reversed")]
    [InlineData("refund.do", "Refunded")]
    public async Task ReversalOrRefund_AfterPaid_PaidUntilRollsBack(string method, string status)
    {
        var (c, order) = await NewOrder();
        using (await f.PayOnPage(order.GetProperty("paymentUrl").GetString()!, "4083060013681818")) { }
        JsonElement paid = await Order(c, order);
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        Assert.Equal(paid.GetProperty("periodEnd").GetString(), (await PaidUntil(c)).GetString());

        using (HttpClient gw = f.Sandbox.Client(baseAddress: f.Sandbox.Gateway))
        {
            var form = new Dictionary<string, string> { ["orderId"] = order.GetProperty("orderId").GetString()! };
            if (method == "refund.do") form["amount"] = "100000";          // a partial refund is a refund too
            Assert.Equal("0", GatewayApi.ErrorCode(await GatewayApi.Call(gw, method, form)));
        }
        JsonElement back = await Order(c, order);
        Assert.Equal(status, back.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, back.GetProperty("paidUntil").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await PaidUntil(c)).ValueKind);
        var (_, fee) = await SandboxFixture.Get(c, "/api/v1/fee");
        Assert.Equal(JsonValueKind.Null, fee.GetProperty("paidUntil").ValueKind);
        Assert.Equal(paid.GetProperty("periodStart").GetString(), fee.GetProperty("nextPeriodStart").GetString());
    }

    [Fact]
    public async Task SlowPoll_StartedBeforePaid_FinishesAfter_PaidStays()
    {
        var (c, order) = await NewOrder();
        string orderId = order.GetProperty("orderId").GetString()!, number = order.GetProperty("orderNumber").GetString()!;

        // The poll reads the gateway (orderStatus 0) and is held there.
        Assert.Equal(HttpStatusCode.NoContent, await f.Control("/sandbox/test/gateway-hold?orderId=" + orderId));
        Task<(HttpStatusCode, JsonElement)> poll = SandboxFixture.Get(c, "/api/v1/fee/orders/" + number);
        Assert.Equal(HttpStatusCode.NoContent, await f.Control("/sandbox/test/gateway-hold/reached?orderId=" + orderId));

        // Meanwhile the holder pays and the return page stores Paid.
        using (HttpResponseMessage post = await f.PayOnPage(order.GetProperty("paymentUrl").GetString()!, "4083060013681818"))
        using (HttpClient anon = f.Sandbox.Client())
            Assert.Contains("Payment received", await anon.GetStringAsync(post.Headers.Location));

        // The stale poll now answers: it must not take Paid back.
        Assert.Equal(HttpStatusCode.NoContent, await f.Control("/sandbox/test/gateway-hold/release?orderId=" + orderId));
        var (s, polled) = await poll;
        Assert.Equal(HttpStatusCode.OK, s);
        Assert.Equal("Paid", polled.GetProperty("status").GetString());
        Assert.Equal(2, polled.GetProperty("orderStatus").GetInt32());
        Assert.Equal(polled.GetProperty("periodEnd").GetString(), (await PaidUntil(c)).GetString());
    }
}
