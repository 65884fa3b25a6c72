namespace Ekeng.Payments
{
    /// <summary>The stable error ids of the fee payment (EkengException.ErrorId; the README table lists them).</summary>
    public static class FeeErrorIds
    {
        /// <summary>409 from EKENG: the current period is paid (PaidUntil); pay the next one on purpose only.</summary>
        public const string PeriodAlreadyPaid = "PeriodAlreadyPaid";

        /// <summary>409 from EKENG: the registration is neither Active nor PendingPayment.</summary>
        public const string NotRegistered = "NotRegistered";

        /// <summary>502 from EKENG: its bank gateway did not answer; nothing was charged.</summary>
        public const string GatewayUnavailable = "GatewayUnavailable";

        /// <summary>404 from EKENG: no such order number for this holder.</summary>
        public const string OrderNotFound = "OrderNotFound";

        /// <summary>EKENG's service did not answer (network, timeout, 5xx) after the retries.</summary>
        public const string FeeServiceUnreachable = "FeeServiceUnreachable";

        /// <summary>The bank declined the card (ActionCode, e.g. 116 insufficient funds). Never retried.</summary>
        public const string PaymentDeclined = "PaymentDeclined";

        /// <summary>The gateway's payment session ran out (actionCode -2007) before the card data came.</summary>
        public const string PaymentExpired = "PaymentExpired";

        /// <summary>A receipt was asked for an order that is not Paid.</summary>
        public const string ReceiptNotPaid = "ReceiptNotPaid";

        /// <summary>The receipt file exists and no force was given.</summary>
        public const string ReceiptExists = "ReceiptExists";

        /// <summary>The receipt could not be written (folder missing, no permission, disk full); no half-written file is left.</summary>
        public const string ReceiptWriteFailed = "ReceiptWriteFailed";

        /// <summary>No font with Armenian letters was found for the PDF receipt.</summary>
        public const string ReceiptFontNotFound = "ReceiptFontNotFound";

        /// <summary>The order EKENG made differs from the quote the holder confirmed (amount, currency, period); nothing opened.</summary>
        public const string PaymentOrderMismatch = "PaymentOrderMismatch";

        /// <summary>The order's payment page is not https on the service's host or the named gateway; never opened nor handed on.</summary>
        public const string PaymentUrlRefused = "PaymentUrlRefused";

        /// <summary>A "Paid" order without the gateway's orderStatus 2, the quoted amount and currency or its own number; no receipt.</summary>
        public const string PaymentNotConfirmed = "PaymentNotConfirmed";

        /// <summary>The service answered something the contract does not describe.</summary>
        public const string FeeProtocolError = "FeeProtocolError";
    }
}
