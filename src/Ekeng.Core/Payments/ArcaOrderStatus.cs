using System;
using System.Text.Json;

namespace Ekeng.Payments
{
    /// <summary>
    /// The ArCa vPOS gateway's <c>getOrderStatusExtended.do</c> reply (BPC iPay 1.55 family), read around its traps:
    /// <c>errorCode</c> is a number, a string or absent (absent and "0" both mean "no system error", which is NOT
    /// "paid"); <c>date</c> is epoch MILLISECONDS; the approval code and the masked pan live inside
    /// <c>cardAuthInfo</c>, not at the top level; amounts are in luma (AMD × 100).
    /// </summary>
    public sealed class ArcaOrderStatus
    {
        /// <summary>0 when absent: no system error (the order may still be unpaid).</summary>
        public int ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        public string? OrderNumber { get; set; }

        /// <summary>0 registered, 1 held, 2 deposited, 3 reversed, 4 refunded, 5 3-D Secure started, 6 declined; null on a system error.</summary>
        public int? OrderStatus { get; set; }

        public int? ActionCode { get; set; }

        public string? ActionCodeDescription { get; set; }

        /// <summary>In luma (minor units).</summary>
        public long? AmountMinor { get; set; }

        /// <summary>ISO 4217 numeric, e.g. "051".</summary>
        public string? Currency { get; set; }

        /// <summary>The order's registration date (from epoch milliseconds).</summary>
        public DateTimeOffset? Date { get; set; }

        /// <summary>The masked pan, e.g. <c>408306**1818</c>.</summary>
        public string? MaskedPan { get; set; }

        /// <summary>YYYYMM.</summary>
        public string? Expiration { get; set; }

        public string? CardholderName { get; set; }

        public string? ApprovalCode { get; set; }

        public DateTimeOffset? AuthDateTime { get; set; }

        public string? AuthRefNum { get; set; }

        public string? TerminalId { get; set; }

        /// <summary>The amount in AMD (luma / 100), or null.</summary>
        public decimal? Amount => AmountMinor is long minor ? minor / 100m : (decimal?)null;

        /// <summary>True when no system error was reported.</summary>
        public bool IsSuccess => ErrorCode == 0;

        /// <summary>Paid: orderStatus 2 (deposited), or 1 (held) where the merchant works in two stages. Never errorCode 0 alone.</summary>
        public bool IsPaid(bool twoStage = false) => IsSuccess && (OrderStatus == 2 || (twoStage && OrderStatus == 1));

        /// <summary>The card scheme, from the masked pan's BIN.</summary>
        public PaymentMethod? Method => CardBrand.FromPan(MaskedPan);

        /// <summary>EKENG's status for this gateway status.</summary>
        public FeePaymentStatus ToFeeStatus(bool twoStage = false)
        {
            if (IsPaid(twoStage))
            {
                return FeePaymentStatus.Paid;
            }

            switch (OrderStatus)
            {
                case 3: return FeePaymentStatus.Reversed;
                case 4: return FeePaymentStatus.Refunded;
                case 6: return ActionCode == FeeOutcome.SessionTimeLimitActionCode ? FeePaymentStatus.Expired : FeePaymentStatus.Declined;
                default: return FeePaymentStatus.Pending;
            }
        }

        /// <summary>Reads the gateway's JSON reply.</summary>
        /// <exception cref="FormatException">Not JSON, or a field of the wrong kind.</exception>
        public static ArcaOrderStatus Parse(string json)
        {
            if (json is null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            try
            {
                using (JsonDocument doc = JsonDocument.Parse(json))
                {
                    return Parse(doc.RootElement);
                }
            }
            catch (JsonException e)
            {
                throw new FormatException("The gateway's reply is not JSON: " + e.Message, e);
            }
        }

        /// <summary>Reads the gateway's JSON reply.</summary>
        public static ArcaOrderStatus Parse(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The gateway's reply is not a JSON object.");
            }

            var status = new ArcaOrderStatus
            {
                ErrorCode = JsonValues.Int(root, "errorCode") ?? 0,
                ErrorMessage = JsonValues.String(root, "errorMessage"),
                OrderNumber = JsonValues.String(root, "orderNumber"),
                OrderStatus = JsonValues.Int(root, "orderStatus"),
                ActionCode = JsonValues.Int(root, "actionCode"),
                ActionCodeDescription = NullIfEmpty(JsonValues.String(root, "actionCodeDescription")),
                AmountMinor = JsonValues.Long(root, "amount"),
                Currency = JsonValues.String(root, "currency"),
                Date = JsonValues.EpochMilliseconds(root, "date"),
                AuthDateTime = JsonValues.EpochMilliseconds(root, "authDateTime"),
                AuthRefNum = NullIfEmpty(JsonValues.String(root, "authRefNum")),
                TerminalId = NullIfEmpty(JsonValues.String(root, "terminalId")),
            };
            if (JsonValues.TryGet(root, "cardAuthInfo", out JsonElement card) && card.ValueKind == JsonValueKind.Object)
            {
                status.MaskedPan = NullIfEmpty(JsonValues.String(card, "pan") ?? JsonValues.String(card, "maskedPan"));
                status.Expiration = NullIfEmpty(JsonValues.String(card, "expiration"));
                status.CardholderName = NullIfEmpty(JsonValues.String(card, "cardholderName"));
                status.ApprovalCode = NullIfEmpty(JsonValues.String(card, "approvalCode"));
            }

            return status;
        }

        private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
    }
}
