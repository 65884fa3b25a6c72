namespace Ekeng.Payments.Tests;

/// <summary>FeeOrder JSON as the wire contract describes it.</summary>
public static class Orders
{
    public const string Quote =
        """{"amount":3000,"currency":"AMD","currencyCode":"051","periodMonths":12,"paidUntil":null,"nextPeriodStart":"2026-11-27","nextPeriodEnd":"2027-11-26"}""";

    public static string Order(string status = "Pending", int attempt = 1, string periodStart = "2026-11-27", int? actionCode = null, string? description = null, string created = "2026-11-27T03:40:00Z") =>
        $$"""
        {"orderNumber":"F1234567890{{periodStart.Replace("-", "")}}-{{attempt}}","orderId":"6f1c2d3e-0000-4000-8000-00000000000{{attempt}}","amount":3000,"currency":"AMD",
         "status":"{{status}}","orderStatus":{{(status == "Paid" ? 2 : status == "Pending" ? 0 : 6)}},
         "actionCode":{{(actionCode?.ToString() ?? (status == "Paid" ? "0" : "null"))}},"actionCodeDescription":{{(description == null ? "null" : "\"" + description + "\"")}},
         "method":{{(status == "Paid" ? "\"Visa\"" : "null")}},"maskedPan":{{(status == "Paid" ? "\"408306**1818\"" : "null")}},
         "approvalCode":{{(status == "Paid" ? "\"A7Q2X9\"" : "null")}},"cardholderName":{{(status == "Paid" ? "\"ANNA PETROSYAN\"" : "null")}},
         "paidAt":{{(status == "Paid" ? "\"2026-11-27T03:41:30Z\"" : "null")}},"periodStart":"{{periodStart}}","periodEnd":"2027-11-26",
         "paidUntil":{{(status == "Paid" ? "\"2027-11-26\"" : "null")}},
         "paymentUrl":"https://127.0.0.1:5002/payment/merchants/ekeng/payment.html?mdOrder=6f1c2d3e-0000-4000-8000-00000000000{{attempt}}",
         "createdAt":"{{created}}","holderName":"ANNA PETROSYAN","publicServiceNumber":"1234567890"}
        """;

    public static FeePayment Paid() => ParseOrder(Order("Paid"));

    public static FeePayment ParseOrder(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return FeeClient.ReadOrder(doc.RootElement, "test");
    }
}
