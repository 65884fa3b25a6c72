using Ekeng.Diagnostics;

namespace Ekeng.Payments.Tests;

public class FeePaymentWaiterTests
{
    private static Func<string, CancellationToken, Task<FeePayment>> Script(params Func<FeePayment>[] steps)
    {
        int i = 0;
        return (_, _) => Task.FromResult(steps[Math.Min(i++, steps.Length - 1)]());
    }

    [Fact]
    public async Task PollsUntilPaid_ReportingProgress()
    {
        FeePayment pending = Orders.ParseOrder(Orders.Order());
        var waiter = new FeePaymentWaiter(Script(() => Orders.ParseOrder(Orders.Order()), () => Orders.ParseOrder(Orders.Order("Paid"))))
        {
            PollInterval = TimeSpan.FromMilliseconds(1),
        };
        var reports = new List<FeePaymentProgress>();
        FeePayment final = await waiter.WaitAsync(pending, TimeSpan.FromSeconds(10), reports.Add);
        Assert.Equal(FeePaymentStatus.Paid, final.Status);
        Assert.Null(FeeOutcome.ToError(final));
        Assert.Equal(3, reports.Count);
        Assert.Equal(100, reports[^1].PercentComplete);
        Assert.Equal(2, reports[^1].Polls);
        Assert.Contains("waiting for the payment", reports[0].StatusText);
    }

    [Fact]
    public async Task Declined116_EndsTheWait_AndItsErrorNamesTheActionCode()
    {
        var waiter = new FeePaymentWaiter(Script(() => Orders.ParseOrder(Orders.Order("Declined", actionCode: 116, description: "Insufficient funds"))));
        FeePayment final = await waiter.WaitAsync(Orders.ParseOrder(Orders.Order()), TimeSpan.FromSeconds(10));
        EkengException? e = FeeOutcome.ToError(final);
        Assert.NotNull(e);
        Assert.Equal(FeeErrors.PaymentDeclined.Id, e.ErrorId);
        Assert.Equal(116, e.Data["ActionCode"]);
        Assert.Contains("Insufficient funds", e.Message);
        Assert.Contains("116", e.Message);
    }

    [Theory]
    [InlineData("Expired", null)]
    [InlineData("Declined", -2007)]
    public void TheSessionTimeLimit_IsPaymentExpired(string status, int? actionCode)
    {
        FeePayment order = Orders.ParseOrder(Orders.Order(status, actionCode: actionCode));
        Assert.True(FeeOutcome.IsExpired(order));
        Assert.Equal(FeeErrors.PaymentExpired.Id, FeeOutcome.ToError(order)!.ErrorId);
    }

    [Fact]
    public async Task ATimeout_ReturnsThePendingOrder_WithItsPaymentUrl()
    {
        var waiter = new FeePaymentWaiter(Script(() => Orders.ParseOrder(Orders.Order()))) { PollInterval = TimeSpan.FromMilliseconds(20) };
        FeePayment final = await waiter.WaitAsync(Orders.ParseOrder(Orders.Order()), TimeSpan.FromMilliseconds(150));
        Assert.Equal(FeePaymentStatus.Pending, final.Status);
        Assert.NotNull(final.PaymentUrl);
        Assert.Null(FeeOutcome.ToError(final));
    }

    [Fact]
    public async Task AnUnreachablePoll_DoesNotEndTheWait_TheNextOneAsksAgain()
    {
        int calls = 0;
        var waiter = new FeePaymentWaiter((_, _) => ++calls == 1
            ? throw new EkengException(FeeErrors.FeeServiceUnreachable, "down")
            : Task.FromResult(Orders.ParseOrder(Orders.Order("Paid"))))
        {
            PollInterval = TimeSpan.FromMilliseconds(1),
        };
        var reports = new List<FeePaymentProgress>();
        FeePayment final = await waiter.WaitAsync(Orders.ParseOrder(Orders.Order()), TimeSpan.FromSeconds(10), reports.Add);
        Assert.Equal(FeePaymentStatus.Paid, final.Status);
        Assert.NotNull(reports[1].LastError);
        Assert.Contains("did not answer", reports[1].StatusText);
    }

    [Fact]
    public async Task Cancellation_Stops()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var waiter = new FeePaymentWaiter(Script(() => Orders.ParseOrder(Orders.Order()))) { PollInterval = TimeSpan.FromMilliseconds(10) };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(Orders.ParseOrder(Orders.Order()), TimeSpan.FromSeconds(10), null, cts.Token));
    }
}
