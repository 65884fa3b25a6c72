namespace Ekeng.Payments
{
    /// <summary>One report of <see cref="FeePaymentWaiter"/>: the order as last read and the time spent (for Write-Progress).</summary>
    public sealed class FeePaymentProgress
    {
        public FeePaymentProgress(FeePayment payment, TimeSpan elapsed, TimeSpan timeout, int polls, Exception? lastError)
        {
            Payment = payment;
            Elapsed = elapsed;
            Timeout = timeout;
            Polls = polls;
            LastError = lastError;
        }

        public FeePayment Payment { get; }

        public TimeSpan Elapsed { get; }

        public TimeSpan Timeout { get; }

        public int Polls { get; }

        /// <summary>The last poll's failure (the service unreachable for a while), or null.</summary>
        public Exception? LastError { get; }

        /// <summary>0..100 of the waiting time (100 once the order is final).</summary>
        public int PercentComplete =>
            Payment.IsFinal ? 100
            : Timeout <= TimeSpan.Zero ? 0
            : (int)Math.Min(99, Math.Max(0, Elapsed.TotalMilliseconds * 100 / Timeout.TotalMilliseconds));

        /// <summary>Seconds left before the wait gives up.</summary>
        public int SecondsRemaining => (int)Math.Max(0, Math.Ceiling((Timeout - Elapsed).TotalSeconds));

        /// <summary>A line for a person: what the wait is at.</summary>
        public string StatusText =>
            Payment.IsFinal ? $"Order {Payment.OrderNumber}: {Payment.Status}"
            : LastError != null ? $"Order {Payment.OrderNumber}: waiting for the payment on the bank's page (EKENG did not answer the last check)"
            : $"Order {Payment.OrderNumber}: waiting for the payment on the bank's page";
    }
}
