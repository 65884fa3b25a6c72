using Ekeng.Diagnostics;

namespace Ekeng.Payments
{
    /// <summary>
    /// What the module checks in EKENG's answers before it acts on them: the order matches the quote the holder
    /// confirmed (amount, currency, period); its payment page is https on the service's own host or the named gateway
    /// (nothing else is opened or handed on); and Paid is believed only with the gateway's orderStatus 2, the quoted
    /// amount and currency, and the order's own number. The status string alone never makes a receipt.
    /// </summary>
    public static class FeeOrderCheck
    {
        /// <summary>The gateway's orderStatus of a deposited (paid) order; 1 is a hold, not a payment.</summary>
        public const int DepositedOrderStatus = 2;

        /// <summary>
        /// Throws PaymentOrderMismatch when the order's amount, currency or period differ from the quote; nothing is
        /// opened or awaited for such an order.
        /// </summary>
        public static void RequireMatchesQuote(FeePayment order, FeeQuote quote)
        {
            if (order is null)
            {
                throw new ArgumentNullException(nameof(order));
            }

            if (quote is null)
            {
                throw new ArgumentNullException(nameof(quote));
            }

            var differences = new List<string>();
            if (order.Amount != quote.Amount)
            {
                differences.Add($"amount {Amount(order.Amount)} instead of {Amount(quote.Amount)}");
            }

            if (!string.Equals(order.Currency, quote.Currency, StringComparison.Ordinal))
            {
                differences.Add($"currency {order.Currency} instead of {quote.Currency}");
            }

            if (order.PeriodStart.Date != quote.NextPeriodStart.Date || order.PeriodEnd.Date != quote.NextPeriodEnd.Date)
            {
                differences.Add($"period {Day(order.PeriodStart)} – {Day(order.PeriodEnd)} instead of {Day(quote.NextPeriodStart)} – {Day(quote.NextPeriodEnd)}");
            }

            if (differences.Count > 0)
            {
                throw new EkengException(FeeErrors.PaymentOrderMismatch, $"EKENG's order {order.OrderNumber} is not what was confirmed: {string.Join("; ", differences)}. No payment page was opened.")
                {
                    TargetObject = order,
                };
            }
        }

        /// <summary>
        /// Throws PaymentUrlRefused unless the payment page is an absolute https address on the service's host or one of
        /// the named gateway hosts (no file:, UNC, custom scheme, user info, other host).
        /// </summary>
        public static Uri RequireSafePaymentUrl(FeePayment order, Uri serviceUri, IEnumerable<string> gatewayHosts)
        {
            if (order is null)
            {
                throw new ArgumentNullException(nameof(order));
            }

            Uri? url = order.PaymentUrl;
            string? why = null;
            if (url is null)
            {
                why = "there is none";
            }
            else if (!url.IsAbsoluteUri || url.IsUnc || url.IsFile || !string.Equals(url.Scheme, "https", StringComparison.Ordinal))
            {
                why = $"its scheme is '{(url.IsAbsoluteUri ? url.Scheme : "relative")}', not https";
            }
            else if (!string.IsNullOrEmpty(url.UserInfo))
            {
                why = "it carries user information";
            }
            else
            {
                string host = url.IdnHost.TrimEnd('.');
                bool allowed = string.Equals(host, serviceUri.IdnHost.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
                    || (gatewayHosts ?? Enumerable.Empty<string>()).Any(g => string.Equals(host, g.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
                if (!allowed)
                {
                    why = $"its host '{url.Host}' is neither the service's ({serviceUri.Host}) nor the named gateway's ({string.Join(", ", gatewayHosts ?? Enumerable.Empty<string>())})";
                }
            }

            if (why != null)
            {
                throw new EkengException(FeeErrors.PaymentUrlRefused, $"The payment page of order {order.OrderNumber} is refused: {why}. It was not opened nor handed on.")
                {
                    TargetObject = url?.OriginalString ?? order.OrderNumber,
                };
            }

            return url!;
        }

        /// <summary>
        /// Throws PaymentNotConfirmed unless a Paid order shows the gateway's orderStatus 2, the expected order number,
        /// amount and currency (and, when EKENG reports the gateway's own figures, amount×100 in luma and the currency
        /// code). <paramref name="expectedAmount"/> and <paramref name="expectedCurrency"/> are the quote's; null skips
        /// that comparison (an order of an earlier period, listed).
        /// </summary>
        public static void RequireConfirmedPaid(FeePayment payment, string? expectedOrderNumber, decimal? expectedAmount, string? expectedCurrency, string? expectedCurrencyCode = null)
        {
            if (payment is null)
            {
                throw new ArgumentNullException(nameof(payment));
            }

            var problems = new List<string>();
            if (payment.Status != FeePaymentStatus.Paid)
            {
                problems.Add($"its status is {payment.Status}");
            }

            if (payment.GatewayOrderStatus != DepositedOrderStatus)
            {
                problems.Add($"the gateway's orderStatus is {payment.GatewayOrderStatus?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, not 2 (deposited)");
            }

            if (expectedOrderNumber != null && !string.Equals(payment.OrderNumber, expectedOrderNumber, StringComparison.Ordinal))
            {
                problems.Add($"the order number is {payment.OrderNumber}, not {expectedOrderNumber}");
            }

            if (expectedAmount is decimal amount && payment.Amount != amount)
            {
                problems.Add($"the amount is {Amount(payment.Amount)}, not the quoted {Amount(amount)}");
            }

            if (expectedCurrency != null && !string.Equals(payment.Currency, expectedCurrency, StringComparison.Ordinal))
            {
                problems.Add($"the currency is {payment.Currency}, not {expectedCurrency}");
            }

            if (payment.GatewayAmount is long luma && luma != decimal.ToInt64(decimal.Round(payment.Amount * 100m)))
            {
                problems.Add($"the gateway's amount is {luma} luma, not {Amount(payment.Amount)}");
            }

            string? currencyCode = expectedCurrencyCode ?? payment.CurrencyCode;
            if (payment.GatewayCurrency != null && currencyCode != null && !string.Equals(payment.GatewayCurrency, currencyCode, StringComparison.Ordinal))
            {
                problems.Add($"the gateway's currency is {payment.GatewayCurrency}, not {currencyCode}");
            }

            if (payment.GatewayOrderNumber != null && !string.Equals(payment.GatewayOrderNumber, payment.OrderNumber, StringComparison.Ordinal))
            {
                problems.Add($"the gateway's order number is {payment.GatewayOrderNumber}, not {payment.OrderNumber}");
            }

            if (problems.Count > 0)
            {
                throw new EkengException(FeeErrors.PaymentNotConfirmed, $"Order {payment.OrderNumber} is not confirmed as paid: {string.Join("; ", problems)}. No receipt was written.")
                {
                    TargetObject = payment,
                };
            }
        }

        private static string Amount(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

        private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
