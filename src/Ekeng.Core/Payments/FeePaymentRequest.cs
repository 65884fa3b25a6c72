namespace Ekeng.Payments
{
    /// <summary>How the holder wants the fee paid (Invoke-EkengFeePayment's parameters, as the payment flow takes them).</summary>
    public sealed class FeePaymentRequest
    {
        /// <summary>The payment page's language: hy, ru or en.</summary>
        public string Language { get; set; } = "hy";

        /// <summary>Pays the period after the paid one (asked every time by the command).</summary>
        public bool NextPeriod { get; set; }

        /// <summary>How long to wait for the holder on the bank's page.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

        /// <summary>The pause between two status checks while waiting.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    }
}
