using Ekeng.Diagnostics;

namespace Ekeng.Payments
{
    /// <summary>What a finished order means for the caller: nothing for Paid, a stable error for a decline or an expiry.</summary>
    public static class FeeOutcome
    {
        /// <summary>The gateway's actionCode for a payment session that ran out.</summary>
        public const int SessionTimeLimitActionCode = -2007;

        /// <summary>True for an order that ran out: status Expired, or declined with actionCode -2007.</summary>
        public static bool IsExpired(FeePayment payment) =>
            payment.Status == FeePaymentStatus.Expired
            || (payment.Status == FeePaymentStatus.Declined && payment.ActionCode == SessionTimeLimitActionCode);

        /// <summary>
        /// The error for a declined, expired or mismatched order (PaymentDeclined with the actionCode and its description,
        /// PaymentExpired, PaymentNotConfirmed); null for Paid, Pending, Reversed and Refunded. A decline is never retried by the module.
        /// </summary>
        public static EkengException? ToError(FeePayment payment)
        {
            if (IsExpired(payment))
            {
                return new EkengException(FeeErrors.PaymentExpired, $"Order {payment.OrderNumber} expired before it was paid (actionCode {payment.ActionCode?.ToString(CultureInfo.InvariantCulture) ?? "-2007"}); nothing was charged.")
                {
                    TargetObject = payment,
                };
            }

            if (payment.Status == FeePaymentStatus.Mismatch)
            {
                return new EkengException(FeeErrors.PaymentNotConfirmed, $"Order {payment.OrderNumber} is not paid: EKENG reports that the bank's amount, currency or order number differ from the order (Mismatch). No receipt was written.")
                {
                    RecommendedAction = "Do not pay again before EKENG has settled the order; check it later with Get-EkengFeePayment.",
                    TargetObject = payment,
                };
            }

            if (payment.Status == FeePaymentStatus.Declined)
            {
                string code = payment.ActionCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
                string why = string.IsNullOrWhiteSpace(payment.ActionCodeDescription) ? "no reason given" : payment.ActionCodeDescription!;
                var e = new EkengException(FeeErrors.PaymentDeclined, $"The bank declined the payment of order {payment.OrderNumber}: {why} (actionCode {code}).")
                {
                    RecommendedAction = payment.ActionCode == 116
                        ? "The card has insufficient funds: pay with another card (run the payment again)."
                        : "Pay with another card, or ask the card's bank (run the payment again).",
                    TargetObject = payment,
                };
                e.Data["ActionCode"] = payment.ActionCode;
                return e;
            }

            return null;
        }
    }
}
