using System.Text.Json.Serialization;

namespace Ekeng.Payments.Wire
{
    /// <summary>The contract's <c>FeeOrder</c> (docs/WIRE-CONTRACT.md); numbers may come as strings.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    internal sealed class FeeOrderDto
    {
        public string? OrderNumber { get; set; }

        public string? OrderId { get; set; }

        public decimal? Amount { get; set; }

        public string? Currency { get; set; }

        public string? CurrencyCode { get; set; }

        public FeePaymentStatus? Status { get; set; }

        /// <summary>The gateway's orderStatus.</summary>
        public int? OrderStatus { get; set; }

        public long? GatewayAmount { get; set; }

        public string? GatewayCurrency { get; set; }

        public string? GatewayOrderNumber { get; set; }

        public int? ActionCode { get; set; }

        public string? ActionCodeDescription { get; set; }

        public PaymentMethod? Method { get; set; }

        public string? MaskedPan { get; set; }

        public string? ApprovalCode { get; set; }

        public string? CardholderName { get; set; }

        public DateTimeOffset? PaidAt { get; set; }

        public DateTime? PeriodStart { get; set; }

        public DateTime? PeriodEnd { get; set; }

        public DateTime? PaidUntil { get; set; }

        public string? PaymentUrl { get; set; }

        public DateTimeOffset? CreatedAt { get; set; }

        public string? HolderName { get; set; }

        public string? PublicServiceNumber { get; set; }

        public FeePayment ToPayment() => new FeePayment
        {
            OrderNumber = OrderNumber ?? throw FeeWire.Missing("orderNumber"),
            OrderId = OrderId ?? string.Empty,
            Amount = Amount ?? throw FeeWire.Missing("amount"),
            Currency = Currency ?? "AMD",
            Status = Status ?? throw FeeWire.Missing("status"),
            GatewayOrderStatus = OrderStatus,
            GatewayAmount = GatewayAmount,
            GatewayCurrency = GatewayCurrency,
            GatewayOrderNumber = GatewayOrderNumber,
            CurrencyCode = CurrencyCode,
            ActionCode = ActionCode,
            ActionCodeDescription = ActionCodeDescription,
            Method = Method,
            MaskedPan = MaskedPan,
            ApprovalCode = ApprovalCode,
            CardholderName = CardholderName,
            PaidAt = PaidAt,
            PeriodStart = FeeWire.DateOf(PeriodStart) ?? throw FeeWire.Missing("periodStart"),
            PeriodEnd = FeeWire.DateOf(PeriodEnd) ?? throw FeeWire.Missing("periodEnd"),
            PaidUntil = FeeWire.DateOf(PaidUntil),
            PaymentUrl = string.IsNullOrEmpty(PaymentUrl) ? null : new Uri(PaymentUrl, UriKind.Absolute),
            CreatedAt = CreatedAt ?? default,
            HolderName = HolderName ?? string.Empty,
            PublicServiceNumber = PublicServiceNumber ?? string.Empty,
        };
    }
}
