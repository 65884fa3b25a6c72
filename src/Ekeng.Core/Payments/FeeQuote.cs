namespace Ekeng.Payments
{
    /// <summary>GET /api/v1/fee: the fee and the period it buys, from EKENG's data (never hard-coded in the module).</summary>
    public sealed class FeeQuote
    {
        /// <summary>In AMD.</summary>
        public decimal Amount { get; set; }

        public string Currency { get; set; } = "AMD";

        /// <summary>ISO 4217 numeric (051 for AMD).</summary>
        public string CurrencyCode { get; set; } = "051";

        public int PeriodMonths { get; set; }

        /// <summary>The end of the period already paid, or null.</summary>
        public DateTime? PaidUntil { get; set; }

        public DateTime NextPeriodStart { get; set; }

        public DateTime NextPeriodEnd { get; set; }
    }
}
