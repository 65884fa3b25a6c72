using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Ekeng.Payments
{
    /// <summary>Reads the fee API's JSON (docs/WIRE-CONTRACT.md): FeeOrder, the fee, the error body.</summary>
    internal static class FeeJson
    {
        public static FeeQuote ParseQuote(JsonElement e) => new FeeQuote
        {
            Amount = JsonValues.Decimal(e, "amount") ?? throw Missing("amount"),
            Currency = JsonValues.String(e, "currency") ?? "AMD",
            CurrencyCode = JsonValues.String(e, "currencyCode") ?? "051",
            PeriodMonths = JsonValues.Int(e, "periodMonths") ?? 12,
            PaidUntil = JsonValues.Date(e, "paidUntil"),
            NextPeriodStart = JsonValues.Date(e, "nextPeriodStart") ?? throw Missing("nextPeriodStart"),
            NextPeriodEnd = JsonValues.Date(e, "nextPeriodEnd") ?? throw Missing("nextPeriodEnd"),
        };

        public static FeePayment ParseOrder(JsonElement e)
        {
            string? url = JsonValues.String(e, "paymentUrl");
            var payment = new FeePayment
            {
                OrderNumber = JsonValues.String(e, "orderNumber") ?? throw Missing("orderNumber"),
                OrderId = JsonValues.String(e, "orderId") ?? string.Empty,
                Amount = JsonValues.Decimal(e, "amount") ?? throw Missing("amount"),
                Currency = JsonValues.String(e, "currency") ?? "AMD",
                Status = ParseStatus(JsonValues.String(e, "status")),
                GatewayOrderStatus = JsonValues.Int(e, "orderStatus"),
                GatewayAmount = JsonValues.Long(e, "gatewayAmount"),
                GatewayCurrency = JsonValues.String(e, "gatewayCurrency"),
                GatewayOrderNumber = JsonValues.String(e, "gatewayOrderNumber"),
                CurrencyCode = JsonValues.String(e, "currencyCode"),
                ActionCode = JsonValues.Int(e, "actionCode"),
                ActionCodeDescription = JsonValues.String(e, "actionCodeDescription"),
                Method = ParseMethod(JsonValues.String(e, "method")),
                MaskedPan = JsonValues.String(e, "maskedPan"),
                ApprovalCode = JsonValues.String(e, "approvalCode"),
                CardholderName = JsonValues.String(e, "cardholderName"),
                PaidAt = JsonValues.Timestamp(e, "paidAt"),
                PeriodStart = JsonValues.Date(e, "periodStart") ?? throw Missing("periodStart"),
                PeriodEnd = JsonValues.Date(e, "periodEnd") ?? throw Missing("periodEnd"),
                PaidUntil = JsonValues.Date(e, "paidUntil"),
                PaymentUrl = string.IsNullOrEmpty(url) ? null : new Uri(url, UriKind.Absolute),
                CreatedAt = JsonValues.Timestamp(e, "createdAt") ?? default,
                HolderName = JsonValues.String(e, "holderName") ?? string.Empty,
                PublicServiceNumber = JsonValues.String(e, "publicServiceNumber") ?? string.Empty,
            };
            return payment;
        }

        public static List<FeePayment> ParseOrders(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the order list is not a JSON array");
            }

            var list = new List<FeePayment>();
            foreach (JsonElement item in e.EnumerateArray())
            {
                list.Add(ParseOrder(item));
            }

            return list;
        }

        public static FeePaymentStatus ParseStatus(string? status)
        {
            switch (status)
            {
                case "Pending": return FeePaymentStatus.Pending;
                case "Paid": return FeePaymentStatus.Paid;
                case "Declined": return FeePaymentStatus.Declined;
                case "Expired": return FeePaymentStatus.Expired;
                case "Reversed": return FeePaymentStatus.Reversed;
                case "Refunded": return FeePaymentStatus.Refunded;
                case "Mismatch": return FeePaymentStatus.Mismatch;
                default: throw new FormatException($"unknown order status '{status}'");
            }
        }

        public static PaymentMethod? ParseMethod(string? method)
        {
            switch (method)
            {
                case null:
                case "":
                    return null;
                case "ArCa": return PaymentMethod.ArCa;
                case "Visa": return PaymentMethod.Visa;
                case "MasterCard": return PaymentMethod.MasterCard;
                default: throw new FormatException($"unknown payment method '{method}'");
            }
        }

        private static FormatException Missing(string name) => new FormatException($"'{name}' is missing");
    }
}
