namespace Ekeng.Payments
{
    /// <summary>
    /// What a payment would do, known before anything is ordered (<see cref="FeePaymentFlow.PlanAsync"/>): the quote,
    /// an already paid period (then nothing is ordered), or the unfinished order of the period to resume.
    /// </summary>
    public sealed class FeePaymentPlan
    {
        internal FeePaymentPlan(FeeQuote quote, string holder, bool nextPeriod)
        {
            Quote = quote;
            Holder = holder;
            NextPeriod = nextPeriod;
        }

        /// <summary>EKENG's fee and period; the order and the Paid answer are checked against it.</summary>
        public FeeQuote Quote { get; }

        /// <summary>"ARMEN SARGSYAN (ՀԾՀ 1234567890)".</summary>
        public string Holder { get; }

        /// <summary>The period after the paid one is to be paid.</summary>
        public bool NextPeriod { get; }

        /// <summary>The end of the paid period when it is paid already (nothing is ordered then), else null.</summary>
        public DateTime? PaidUntil { get; internal set; }

        /// <summary>With <see cref="PaidUntil"/>: the newest paid order (its receipt), or null.</summary>
        public FeePayment? PaidOrder { get; internal set; }

        /// <summary>An unfinished order of this period (a run that crashed or lost its connection): resumed, never duplicated.</summary>
        public FeePayment? OpenOrder { get; internal set; }

        /// <summary>The order this run created or resumed: a Paid answer must be about it.</summary>
        public string? OrderNumber { get; internal set; }

        /// <summary>"Pay 10 000 AMD for 2026-12-07 – 2027-12-06 as … (resuming order …)": what the holder confirms.</summary>
        public string Description
        {
            get
            {
                string period = $"{FeeReceipt.FormatDate(Quote.NextPeriodStart)} – {FeeReceipt.FormatDate(Quote.NextPeriodEnd)}";
                string what = $"Pay {FeeReceipt.FormatAmount(Quote.Amount, Quote.Currency)} for {period} as {Holder}";
                return OpenOrder is null ? what : $"{what} (resuming order {OpenOrder.OrderNumber})";
            }
        }
    }
}
