using System.Diagnostics;
using Ekeng.Diagnostics;

namespace Ekeng.Payments
{
    /// <summary>
    /// Waits for the holder to pay on the bank's page: polls EKENG's order (which EKENG refreshes from the gateway)
    /// until it is final (Paid, Declined, Expired, Reversed, Refunded) or the timeout passes. Paid is EKENG's status
    /// Paid, i.e. the gateway's orderStatus 2 (a hold, 1, is not): never an HTTP 200 alone. A poll that fails because
    /// the service is unreachable does not end the wait; the next poll asks again.
    /// </summary>
    public sealed class FeePaymentWaiter
    {
        private readonly Func<string, CancellationToken, Task<FeePayment>> _getOrder;
        private readonly ILogger _logger;

        public FeePaymentWaiter(FeeClient client, ILogger? logger = null)
            : this((client ?? throw new ArgumentNullException(nameof(client))).GetOrderAsync, logger)
        {
        }

        /// <summary>For tests and other sources of the order: <paramref name="getOrder"/> reads one order by number.</summary>
        public FeePaymentWaiter(Func<string, CancellationToken, Task<FeePayment>> getOrder, ILogger? logger = null)
        {
            _getOrder = getOrder ?? throw new ArgumentNullException(nameof(getOrder));
            _logger = logger ?? NullLogger.Instance;
        }

        /// <summary>The pause between two polls.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Polls until the order is final or <paramref name="timeout"/> passes; returns the order as last read (still
        /// Pending after a timeout: the caller hands out its PaymentUrl). <paramref name="progress"/> is called after every
        /// poll, on the thread the poll finished on: a cmdlet queues it for its pipeline thread.
        /// Declined and expired orders are returned, not thrown: <see cref="FeeOutcome.ToError"/> makes their error.
        /// </summary>
        public async Task<FeePayment> WaitAsync(FeePayment order, TimeSpan timeout, Action<FeePaymentProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            if (order is null)
            {
                throw new ArgumentNullException(nameof(order));
            }

            var watch = Stopwatch.StartNew();
            FeePayment current = order;
            int polls = 0;
            progress?.Invoke(new FeePaymentProgress(current, watch.Elapsed, timeout, polls, null));
            while (!current.IsFinal)
            {
                Exception? error = null;
                try
                {
                    polls++;
                    FeePayment read = await _getOrder(order.OrderNumber, cancellationToken).ConfigureAwait(false);
                    read.Resumed = order.Resumed;
                    current = read;
                }
                catch (EkengException e) when (FeeErrors.FeeServiceUnreachable.Is(e) || FeeErrors.GatewayUnavailable.Is(e))
                {
                    error = e;
                    _logger.LogDebug("Polling order {OrderNumber}: {Message}", order.OrderNumber, e.Message);
                }

                progress?.Invoke(new FeePaymentProgress(current, watch.Elapsed, timeout, polls, error));
                if (current.IsFinal)
                {
                    break;
                }

                TimeSpan left = timeout - watch.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    _logger.LogInformation("Order {OrderNumber} is still pending after {Seconds:0} s.", order.OrderNumber, timeout.TotalSeconds);
                    break;
                }

                await Task.Delay(left < PollInterval ? left : PollInterval, cancellationToken).ConfigureAwait(false);
            }

            return current;
        }
    }
}
