using System.Net.Http;
using Ekeng.Diagnostics;

namespace Ekeng.Payments.Tests;

/// <summary>
/// The one payment flow (<see cref="FeePaymentFlow"/>) against scripted EKENG answers: a paid period orders nothing,
/// an unfinished order is resumed without a second POST, EKENG's own "already paid" ends it, and the outcome is believed
/// only for this order.
/// </summary>
public class FeePaymentFlowTests
{
    private const string FeePath = "/api/v1/fee";
    private const string OrdersPath = "/api/v1/fee/orders";

    private static ScriptedHandler Ekeng(string quote, string orders, Func<HttpResponseMessage>? post = null) =>
        new((request, _) => request.Method == HttpMethod.Post
            ? (post ?? (() => ScriptedHandler.Json(201, Orders.Order(attempt: 3))))()
            : request.RequestUri!.AbsolutePath == FeePath ? ScriptedHandler.Json(200, quote) : ScriptedHandler.Json(200, orders));

    [Fact]
    public async Task A_Paid_Period_Is_Said_And_Nothing_Is_Ordered()
    {
        string paidQuote = Orders.Quote.Replace("\"paidUntil\":null", "\"paidUntil\":\"2099-01-01\"", StringComparison.Ordinal);
        var handler = Ekeng(paidQuote, "[" + Orders.Order("Declined", attempt: 1, actionCode: 116) + "," + Orders.Order("Paid", attempt: 2) + "]");
        var flow = new FeePaymentFlow(ScriptedHandler.Client(handler), new FeePaymentRequest());
        FeePaymentPlan plan = await flow.PlanAsync("ANNA PETROSYAN (ՀԾՀ 1234567890)", CancellationToken.None);
        Assert.Equal(new DateTime(2099, 1, 1), plan.PaidUntil);
        Assert.Equal("F123456789020261127-2", plan.PaidOrder!.OrderNumber);
        Assert.Equal(0, handler.Count("POST " + OrdersPath));
    }

    [Fact]
    public async Task An_Unfinished_Order_Of_The_Period_Is_Resumed_Never_A_Second_Post()
    {
        var handler = Ekeng(Orders.Quote, "[" + Orders.Order("Pending", attempt: 2) + "]");
        var flow = new FeePaymentFlow(ScriptedHandler.Client(handler), new FeePaymentRequest());
        FeePaymentPlan plan = await flow.PlanAsync("ANNA PETROSYAN (ՀԾՀ 1234567890)", CancellationToken.None);
        Assert.Null(plan.PaidUntil);
        Assert.Contains("resuming order F123456789020261127-2", plan.Description, StringComparison.Ordinal);
        Assert.Contains("3 000", plan.Description.Replace('\u00A0', ' '), StringComparison.Ordinal);
        FeePayment? order = await flow.OrderAsync(plan, CancellationToken.None);
        Assert.True(order!.Resumed);
        Assert.Equal("F123456789020261127-2", plan.OrderNumber);
        Assert.Equal(0, handler.Count("POST " + OrdersPath));
    }

    [Fact]
    public async Task A_New_Order_When_None_Is_Open_And_EKENGs_Already_Paid_Answer_Orders_Nothing()
    {
        var created = Ekeng(Orders.Quote, "[" + Orders.Order("Declined", attempt: 1, actionCode: 116) + "]");
        var flow = new FeePaymentFlow(ScriptedHandler.Client(created), new FeePaymentRequest());
        FeePaymentPlan plan = await flow.PlanAsync("holder", CancellationToken.None);
        Assert.Null(plan.OpenOrder);
        FeePayment? order = await flow.OrderAsync(plan, CancellationToken.None);
        Assert.Equal("F123456789020261127-3", order!.OrderNumber);
        Assert.Equal(1, created.Count("POST " + OrdersPath));

        var paid = Ekeng(Orders.Quote, "[" + Orders.Order("Paid", attempt: 1) + "]", () => ScriptedHandler.Json(409, """{"error":"PeriodAlreadyPaid","message":"paid","paidUntil":"2027-11-26"}"""));
        var flow2 = new FeePaymentFlow(ScriptedHandler.Client(paid), new FeePaymentRequest());
        FeePaymentPlan plan2 = await flow2.PlanAsync("holder", CancellationToken.None);
        plan2 = plan2.OpenOrder is null ? plan2 : throw new InvalidOperationException("a paid order is not unfinished");
        Assert.Null(await flow2.OrderAsync(plan2, CancellationToken.None));
        Assert.Equal(new DateTime(2027, 11, 26), plan2.PaidUntil);
        Assert.Equal("F123456789020261127-1", plan2.PaidOrder!.OrderNumber);
    }

    [Fact]
    public async Task The_Outcome_Declined_Is_An_Error_And_Paid_Counts_Only_For_This_Order()
    {
        var handler = Ekeng(Orders.Quote, "[" + Orders.Order("Pending", attempt: 2) + "]");
        var flow = new FeePaymentFlow(ScriptedHandler.Client(handler), new FeePaymentRequest());
        FeePaymentPlan plan = await flow.PlanAsync("holder", CancellationToken.None);
        _ = await flow.OrderAsync(plan, CancellationToken.None);
        var declined = Assert.Throws<EkengException>(() => flow.Finish(plan, Orders.ParseOrder(Orders.Order("Declined", attempt: 2, actionCode: 116))));
        Assert.Equal("PaymentDeclined", declined.ErrorId);
        // Paid, but another order than the one this run resumed: not believed.
        var other = Assert.Throws<EkengException>(() => flow.Finish(plan, Orders.ParseOrder(Orders.Order("Paid", attempt: 1))));
        Assert.Equal("PaymentNotConfirmed", other.ErrorId);
        Assert.Equal(FeePaymentStatus.Paid, flow.Finish(plan, Orders.ParseOrder(Orders.Order("Paid", attempt: 2))).Status);
    }
}
