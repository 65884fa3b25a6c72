using Ekeng.Diagnostics;

namespace Ekeng.Payments
{
    /// <summary>
    /// The one payment flow of the module, in steps a command runs top to bottom with its confirmations between them:
    /// <see cref="PlanAsync"/> (the fee and period from EKENG; an already paid period said and left alone; an unfinished
    /// order of the period found, asked before any new order), <see cref="OrderAsync"/> (resume or create, never a
    /// second order), <see cref="CheckPage"/> (the order equals the quote, the page is the bank's), <see cref="WaitAsync"/>
    /// and <see cref="Finish"/> (Paid only as the gateway's deposited status; declined and expired orders are errors,
    /// never retried). The module never asks for, sees, stores or logs a card number or a CVC2.
    /// </summary>
    public sealed class FeePaymentFlow
    {
        private readonly FeeClient _fees;
        private readonly FeePaymentRequest _request;
        private readonly ILogger _logger;

        public FeePaymentFlow(FeeClient fees, FeePaymentRequest request, ILogger? logger = null)
        {
            _fees = fees;
            _request = request;
            _logger = logger ?? NullLogger.Instance;
        }

        /// <summary>The fee, the period, and what is there already; nothing is ordered.</summary>
        public async Task<FeePaymentPlan> PlanAsync(string holder, CancellationToken cancellationToken)
        {
            FeeQuote quote = await _fees.GetFeeAsync(cancellationToken).ConfigureAwait(false);
            var plan = new FeePaymentPlan(quote, holder, _request.NextPeriod);
            if (!_request.NextPeriod && quote.PaidUntil is DateTime until && until.Date > DateTime.UtcNow.Date)
            {
                await MarkPaidAsync(plan, until, cancellationToken).ConfigureAwait(false);
                return plan;
            }

            // EKENG refreshes pending orders from the gateway first.
            IReadOnlyList<FeePayment> orders = await _fees.GetOrdersAsync(cancellationToken).ConfigureAwait(false);
            plan.OpenOrder = FeeClient.FindUnfinished(orders.Where(o => o.PeriodStart.Date == quote.NextPeriodStart.Date).ToList(), _request.NextPeriod);
            return plan;
        }

        /// <summary>
        /// The order to pay: the unfinished one resumed, or a new one. Null when EKENG answers that the period is paid
        /// after all (then <see cref="FeePaymentPlan.PaidUntil"/> and <see cref="FeePaymentPlan.PaidOrder"/> say so).
        /// </summary>
        public async Task<FeePayment?> OrderAsync(FeePaymentPlan plan, CancellationToken cancellationToken)
        {
            FeePayment order;
            if (plan.OpenOrder != null)
            {
                order = plan.OpenOrder;
                order.Resumed = true;
            }
            else
            {
                try
                {
                    order = await _fees.CreateOrResumeOrderAsync(_request.Language, _request.NextPeriod, cancellationToken).ConfigureAwait(false);
                }
                catch (EkengException e) when (FeeErrors.PeriodAlreadyPaid.Is(e) && e.Data["PaidUntil"] is DateTime paidUntil)
                {
                    await MarkPaidAsync(plan, paidUntil, cancellationToken).ConfigureAwait(false);
                    return null;
                }
            }

            _logger.LogInformation(order.Resumed ? "Resuming order {Order} ({Status})." : "Order {Order} created ({Status}).", order.OrderNumber, order.Status);
            plan.OrderNumber = order.OrderNumber;
            return order;
        }

        /// <summary>The order must be the one the holder confirmed, and its page the bank's: or nothing is opened nor handed on.</summary>
        public Uri CheckPage(FeePaymentPlan plan, FeePayment order)
        {
            FeeOrderCheck.RequireMatchesQuote(order, plan.Quote);
            return FeeOrderCheck.RequireSafePaymentUrl(order, _fees.Session.BaseUri, _fees.Session.GatewayHosts);
        }

        /// <summary>Waits for the holder on the bank's page until the order is final or the timeout passes.</summary>
        public Task<FeePayment> WaitAsync(FeePayment order, Action<FeePaymentProgress>? progress, CancellationToken cancellationToken)
        {
            var waiter = new FeePaymentWaiter(_fees, _logger) { PollInterval = _request.PollInterval };
            return waiter.WaitAsync(order, _request.Timeout, progress, cancellationToken);
        }

        /// <summary>
        /// The outcome: a declined or expired order throws its error (PaymentDeclined, PaymentExpired); Paid is believed
        /// only with the gateway's deposited status, the quoted amount and currency, and this order. Pending is returned.
        /// </summary>
        public FeePayment Finish(FeePaymentPlan plan, FeePayment payment)
        {
            EkengException? error = FeeOutcome.ToError(payment);
            if (error != null)
            {
                throw error;
            }

            if (payment.Status == FeePaymentStatus.Paid)
            {
                FeeOrderCheck.RequireConfirmedPaid(payment, plan.OrderNumber, plan.Quote.Amount, plan.Quote.Currency, plan.Quote.CurrencyCode);
                _logger.LogInformation("Order {Order} is paid ({Card}, approval code {Approval}); the service period runs until {PaidUntil:yyyy-MM-dd}.", payment.OrderNumber, payment.MaskedPan, payment.ApprovalCode, payment.PaidUntil);
            }

            return payment;
        }

        private async Task MarkPaidAsync(FeePaymentPlan plan, DateTime until, CancellationToken cancellationToken)
        {
            IReadOnlyList<FeePayment> orders = await _fees.GetOrdersAsync(cancellationToken).ConfigureAwait(false);
            plan.PaidUntil = until;
            plan.PaidOrder = orders.Where(o => o.Status == FeePaymentStatus.Paid).OrderByDescending(o => o.PeriodEnd).FirstOrDefault();
        }
    }
}
