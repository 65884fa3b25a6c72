namespace Ekeng.Payments
{
    /// <summary>
    /// One attempt to pay the annual fee: EKENG's FeeOrder (docs/WIRE-CONTRACT.md). It never holds a card number or a
    /// CVC2; <see cref="MaskedPan"/> is the gateway's mask (<c>408306**1818</c>).
    /// </summary>
    public sealed class FeePayment
    {
        public string OrderNumber { get; set; } = string.Empty;

        /// <summary>The gateway's order id (a UUID).</summary>
        public string OrderId { get; set; } = string.Empty;

        /// <summary>In AMD (not luma).</summary>
        public decimal Amount { get; set; }

        public string Currency { get; set; } = "AMD";

        public FeePaymentStatus Status { get; set; }

        /// <summary>The gateway's orderStatus (0 registered, 1 held, 2 deposited, 3 reversed, 4 refunded, 5 3-D Secure, 6 declined).</summary>
        public int? GatewayOrderStatus { get; set; }

        /// <summary>The gateway's amount in luma (AMD×100) when EKENG reports it, else null.</summary>
        public long? GatewayAmount { get; set; }

        /// <summary>The gateway's ISO 4217 numeric currency ("051") when EKENG reports it, else null.</summary>
        public string? GatewayCurrency { get; set; }

        /// <summary>The gateway's order number when EKENG reports it, else null.</summary>
        public string? GatewayOrderNumber { get; set; }

        /// <summary>The order's ISO 4217 numeric currency ("051") when EKENG reports it, else null.</summary>
        public string? CurrencyCode { get; set; }

        /// <summary>The processing result: 0 approved, 116 insufficient funds, 101 expired card, -2007 time limit...</summary>
        public int? ActionCode { get; set; }

        public string? ActionCodeDescription { get; set; }

        public PaymentMethod? Method { get; set; }

        public string? MaskedPan { get; set; }

        public string? ApprovalCode { get; set; }

        public string? CardholderName { get; set; }

        public DateTimeOffset? PaidAt { get; set; }

        public DateTime PeriodStart { get; set; }

        public DateTime PeriodEnd { get; set; }

        /// <summary>The holder's service period after this order (null until a payment extends it).</summary>
        public DateTime? PaidUntil { get; set; }

        /// <summary>The gateway's card page (formUrl) where the holder types the card data.</summary>
        public Uri? PaymentUrl { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public string HolderName { get; set; } = string.Empty;

        /// <summary>ՀԾՀ, 10 digits.</summary>
        public string PublicServiceNumber { get; set; } = string.Empty;

        /// <summary>True when POST /api/v1/fee/orders answered 200: an unfinished order of the same period was resumed.</summary>
        public bool Resumed { get; set; }

        /// <summary>True for every status other than Pending: polling stops there.</summary>
        public bool IsFinal => Status != FeePaymentStatus.Pending;

        /// <summary>The text receipt (Armenian and English), as the bank's confirmation shows it; a Paid order only.</summary>
        public string Receipt() => FeeReceipt.FromPayment(this).ToText();

        public override string ToString() =>
            $"{OrderNumber} {Status} {Amount:0.##} {Currency}" + (ActionCode is int code && Status != FeePaymentStatus.Paid ? $" (actionCode {code})" : string.Empty);
    }
}
