using System.Text.Json.Serialization;

namespace Ekeng.Payments.Wire
{
    /// <summary>The contract's <c>GET /api/v1/fee</c> reply (docs/WIRE-CONTRACT.md); numbers may come as strings.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    internal sealed class FeeQuoteDto
    {
        public decimal? Amount { get; set; }

        public string? Currency { get; set; }

        public string? CurrencyCode { get; set; }

        public int? PeriodMonths { get; set; }

        public DateTime? PaidUntil { get; set; }

        public DateTime? NextPeriodStart { get; set; }

        public DateTime? NextPeriodEnd { get; set; }

        public FeeQuote ToQuote() => new FeeQuote
        {
            Amount = Amount ?? throw FeeWire.Missing("amount"),
            Currency = Currency ?? "AMD",
            CurrencyCode = CurrencyCode ?? "051",
            PeriodMonths = PeriodMonths ?? 12,
            PaidUntil = FeeWire.DateOf(PaidUntil),
            NextPeriodStart = FeeWire.DateOf(NextPeriodStart) ?? throw FeeWire.Missing("nextPeriodStart"),
            NextPeriodEnd = FeeWire.DateOf(NextPeriodEnd) ?? throw FeeWire.Missing("nextPeriodEnd"),
        };
    }
}
