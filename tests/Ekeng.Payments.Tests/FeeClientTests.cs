using System.Net.Http;
using Ekeng.Diagnostics;

namespace Ekeng.Payments.Tests;

public class FeeClientTests
{
    private const string OrdersPath = "/api/v1/fee/orders";

    [Fact]
    public async Task GetFee_ReadsAmountAndPeriod()
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(200, Orders.Quote));
        FeeQuote quote = await ScriptedHandler.Client(handler).GetFeeAsync();
        Assert.Equal(3000m, quote.Amount);
        Assert.Equal("051", quote.CurrencyCode);
        Assert.Equal(new DateTime(2026, 11, 27), quote.NextPeriodStart);
        Assert.Equal(new DateTime(2027, 11, 26), quote.NextPeriodEnd);
        Assert.Null(quote.PaidUntil);
        Assert.Equal(["GET /api/v1/fee"], handler.Requests);
    }

    [Fact]
    public async Task Create_201IsNew_200IsResumed_BodyFollowsTheContract()
    {
        int status = 201;
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(status, Orders.Order()));
        FeeClient client = ScriptedHandler.Client(handler);
        FeePayment created = await client.CreateOrResumeOrderAsync("en");
        Assert.False(created.Resumed);
        Assert.Equal(FeePaymentStatus.Pending, created.Status);
        Assert.Equal("F123456789020261127-1", created.OrderNumber);
        Assert.StartsWith("https://127.0.0.1:5002/payment/merchants/ekeng/payment.html?mdOrder=", created.PaymentUrl!.AbsoluteUri);
        Assert.Equal("""{"language":"en","nextPeriod":false}""", handler.Bodies[0]);

        status = 200;
        FeePayment resumed = await client.CreateOrResumeOrderAsync("hy", nextPeriod: true);
        Assert.True(resumed.Resumed);
        Assert.Equal("""{"language":"hy","nextPeriod":true}""", handler.Bodies[1]);
    }

    [Fact]
    public async Task Create_RejectsAnUnknownLanguage()
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(201, Orders.Order()));
        await Assert.ThrowsAsync<ArgumentException>(() => ScriptedHandler.Client(handler).CreateOrResumeOrderAsync("de"));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Create_PeriodAlreadyPaid_CarriesPaidUntil()
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(409, """{"error":"PeriodAlreadyPaid","message":"paid","paidUntil":"2027-11-26"}"""));
        var e = await Assert.ThrowsAsync<EkengException>(() => ScriptedHandler.Client(handler).CreateOrResumeOrderAsync());
        Assert.Equal(FeeErrors.PeriodAlreadyPaid.Id, e.ErrorId);
        Assert.Equal(new DateTime(2027, 11, 26), e.Data["PaidUntil"]);
        Assert.Contains("2027-11-26", e.Message);
        Assert.Contains("-NextPeriod", e.RecommendedAction);
        Assert.Equal(1, handler.Count("POST " + OrdersPath));
    }

    [Theory]
    [InlineData(409, "NotRegistered", EkengErrorKind.InvalidOperation)]
    [InlineData(502, "GatewayUnavailable", EkengErrorKind.ResourceUnavailable)]
    public async Task Create_ContractErrors_AreMappedAndNeverRetried(int status, string id, EkengErrorKind kind)
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(status, $$"""{"error":"{{id}}","message":"m"}"""));
        var e = await Assert.ThrowsAsync<EkengException>(() => ScriptedHandler.Client(handler).CreateOrResumeOrderAsync());
        Assert.Equal(id, e.ErrorId);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(["POST " + OrdersPath], handler.Requests);
    }

    [Fact]
    public async Task Create_TimeoutAfterSending_AsksTheListAndResumes_NeverASecondPost()
    {
        var handler = new ScriptedHandler((request, n) =>
            request.Method == HttpMethod.Post
                ? throw new TaskCanceledException("timeout")
                : ScriptedHandler.Json(200, "[" + Orders.Order("Declined", attempt: 1, actionCode: 116) + "," + Orders.Order("Pending", attempt: 2) + "]"));
        FeePayment order = await ScriptedHandler.Client(handler).CreateOrResumeOrderAsync();
        Assert.True(order.Resumed);
        Assert.Equal("F123456789020261127-2", order.OrderNumber);
        Assert.Equal(["POST " + OrdersPath, "GET " + OrdersPath], handler.Requests);
    }

    [Fact]
    public async Task Create_ConnectionLost_NoUnfinishedOrder_PostsOnceMore()
    {
        var handler = new ScriptedHandler((request, n) =>
            request.Method == HttpMethod.Post
                ? (n == 1 ? throw new HttpRequestException("connection reset") : ScriptedHandler.Json(201, Orders.Order(attempt: 3)))
                : ScriptedHandler.Json(200, "[" + Orders.Order("Declined", attempt: 2, actionCode: 116) + "]"));
        FeePayment order = await ScriptedHandler.Client(handler).CreateOrResumeOrderAsync();
        Assert.False(order.Resumed);
        Assert.Equal(["POST " + OrdersPath, "GET " + OrdersPath, "POST " + OrdersPath], handler.Requests);
    }

    [Fact]
    public async Task Create_AProxys5xx_IsInDoubt_TheListDecides()
    {
        var handler = new ScriptedHandler((request, n) =>
            request.Method == HttpMethod.Post
                ? ScriptedHandler.Json(504, "<html>gateway timeout</html>")
                : ScriptedHandler.Json(200, "[" + Orders.Order() + "]"));
        FeePayment order = await ScriptedHandler.Client(handler).CreateOrResumeOrderAsync();
        Assert.True(order.Resumed);
        Assert.Equal(1, handler.Count("POST " + OrdersPath));
    }

    [Fact]
    public async Task Create_LostTwice_GivesUp_WithFeeServiceUnreachable_AfterTwoPostsAtMost()
    {
        var handler = new ScriptedHandler((request, n) =>
            request.Method == HttpMethod.Post ? throw new HttpRequestException("reset") : ScriptedHandler.Json(200, "[]"));
        var e = await Assert.ThrowsAsync<EkengException>(() => ScriptedHandler.Client(handler).CreateOrResumeOrderAsync());
        Assert.Equal(FeeErrors.FeeServiceUnreachable.Id, e.ErrorId);
        Assert.Equal(2, handler.Count("POST " + OrdersPath));
    }

    [Fact]
    public async Task Create_ListUnreachableToo_SaysRunAgain_AndDoesNotPostAgain()
    {
        var handler = new ScriptedHandler((_, _) => throw new HttpRequestException("down"));
        var e = await Assert.ThrowsAsync<EkengException>(() => ScriptedHandler.Client(handler).CreateOrResumeOrderAsync());
        Assert.Equal(FeeErrors.FeeServiceUnreachable.Id, e.ErrorId);
        Assert.Contains("never pays twice", e.Message);
        Assert.Equal(1, handler.Count("POST " + OrdersPath));
        Assert.Equal(3, handler.Count("GET " + OrdersPath));
    }

    [Fact]
    public async Task Get_RetriesTransientFailures_WithBackoff()
    {
        var handler = new ScriptedHandler((_, n) => n switch
        {
            1 => throw new HttpRequestException("refused"),
            2 => ScriptedHandler.Json(503, "busy"),
            _ => ScriptedHandler.Json(200, Orders.Order("Paid")),
        });
        FeePayment order = await ScriptedHandler.Client(handler).GetOrderAsync("F123456789020261127-1");
        Assert.Equal(FeePaymentStatus.Paid, order.Status);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Get_Unreachable_AfterMaxAttempts()
    {
        var handler = new ScriptedHandler((_, _) => throw new HttpRequestException("refused"));
        FeeClient client = ScriptedHandler.Client(handler, getAttempts: 4);
        var e = await Assert.ThrowsAsync<EkengException>(() => client.GetFeeAsync());
        Assert.Equal(FeeErrors.FeeServiceUnreachable.Id, e.ErrorId);
        Assert.Equal(EkengErrorKind.ConnectionError, e.Kind);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task GetOrder_404_IsOrderNotFound_NotRetried()
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(404, """{"error":"OrderNotFound","message":"no such order"}"""));
        var e = await Assert.ThrowsAsync<EkengException>(() => ScriptedHandler.Client(handler).GetOrderAsync("F1"));
        Assert.Equal(FeeErrors.OrderNotFound.Id, e.ErrorId);
        Assert.Equal(EkengErrorKind.ObjectNotFound, e.Kind);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task GetOrders_NewestFirst_AsSent_AndPaidFieldsRead()
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(200, "[" + Orders.Order("Paid", attempt: 2) + "," + Orders.Order("Declined", attempt: 1, actionCode: 116, description: "Insufficient funds") + "]"));
        IReadOnlyList<FeePayment> orders = await ScriptedHandler.Client(handler).GetOrdersAsync();
        Assert.Equal(2, orders.Count);
        FeePayment paid = orders[0];
        Assert.Equal(FeePaymentStatus.Paid, paid.Status);
        Assert.Equal(2, paid.GatewayOrderStatus);
        Assert.Equal(PaymentMethod.Visa, paid.Method);
        Assert.Equal("408306**1818", paid.MaskedPan);
        Assert.Equal("A7Q2X9", paid.ApprovalCode);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 3, 41, 30, TimeSpan.Zero), paid.PaidAt);
        Assert.Equal(new DateTime(2027, 11, 26), paid.PaidUntil);
        Assert.Equal(116, orders[1].ActionCode);
    }

    [Fact]
    public async Task NumbersSentAsStrings_AndADateSentAsATimestamp_AreRead()
    {
        string json = Orders.Order("Paid").Replace("\"amount\":3000", "\"amount\":\"3000\"").Replace("\"orderStatus\":2", "\"orderStatus\":\"2\"").Replace("\"periodEnd\":\"2027-11-26\"", "\"periodEnd\":\"2027-11-26T00:00:00Z\"");
        Assert.Contains("\"amount\":\"3000\"", json, StringComparison.Ordinal);
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(200, json));
        FeePayment order = await ScriptedHandler.Client(handler).GetOrderAsync("F1");
        Assert.Equal(3000m, order.Amount);
        Assert.Equal(2, order.GatewayOrderStatus);
        Assert.Equal(new DateTime(2027, 11, 26), order.PeriodEnd);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("amount")]
    [InlineData("periodStart")]
    public async Task AnOrderWithoutARequiredField_IsAProtocolError(string field)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Orders.Order("Paid"));
        var fields = doc.RootElement.EnumerateObject().Where(p => p.Name != field).Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(200, "{" + string.Join(",", fields) + "}"));
        var e = await Assert.ThrowsAsync<EkengException>(() => ScriptedHandler.Client(handler).GetOrderAsync("F1"));
        Assert.Equal(FeeErrors.FeeProtocolError.Id, e.ErrorId);
        Assert.Contains($"'{field}' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerOutsideTheContract_IsAProtocolError()
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(200, """{"orderNumber":"F1","amount":3000,"status":"Weird","periodStart":"2026-11-27","periodEnd":"2027-11-26"}"""));
        var e = await Assert.ThrowsAsync<EkengException>(() => ScriptedHandler.Client(handler).GetOrderAsync("F1"));
        Assert.Equal(FeeErrors.FeeProtocolError.Id, e.ErrorId);
    }

    [Fact]
    public void FindUnfinished_PicksThePendingOrderOfThePeriod()
    {
        var current = Orders.ParseOrder(Orders.Order("Pending", attempt: 1, periodStart: "2026-11-27"));
        var next = Orders.ParseOrder(Orders.Order("Pending", attempt: 1, periodStart: "2027-11-27"));
        var paid = Orders.ParseOrder(Orders.Order("Paid", attempt: 2));
        Assert.Same(current, FeeClient.FindUnfinished([paid, next, current], nextPeriod: false));
        Assert.Same(next, FeeClient.FindUnfinished([paid, current, next], nextPeriod: true));
        Assert.Null(FeeClient.FindUnfinished([paid], nextPeriod: false));
    }
}
