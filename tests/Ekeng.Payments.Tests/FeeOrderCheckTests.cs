using Ekeng.Diagnostics;

namespace Ekeng.Payments.Tests;

/// <summary>
/// What the module checks before it acts on EKENG's answers (through FeeClient against a scripted server): a Paid order
/// needs the gateway's orderStatus 2 with the quoted amount, currency and its own order number; the order must match
/// the confirmed quote; its payment page must be https on the service's host or the named gateway.
/// </summary>
public sealed class FeeOrderCheckTests
{
    private static readonly Uri Service = new("https://127.0.0.1:5001/");
    private static readonly string[] Gateway = ["ipay.arca.am"];

    private static async Task<(FeeQuote Quote, FeePayment Order)> Fetch(string orderJson)
    {
        var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath == "/api/v1/fee"
            ? ScriptedHandler.Json(200, Orders.Quote)
            : ScriptedHandler.Json(200, orderJson));
        FeeClient client = ScriptedHandler.Client(handler);
        FeeQuote quote = await client.GetFeeAsync();
        FeePayment order = await client.GetOrderAsync("F123456789020261127-1");
        return (quote, order);
    }

    private static string Edit(string json, string from, string to)
    {
        Assert.Contains(from, json);
        return json.Replace(from, to);
    }

    [Fact]
    public async Task Paid_With_OrderStatus_2_The_Quoted_Amount_Currency_And_Number_Is_Confirmed()
    {
        (FeeQuote quote, FeePayment paid) = await Fetch(Orders.Order("Paid"));
        FeeOrderCheck.RequireConfirmedPaid(paid, "F123456789020261127-1", quote.Amount, quote.Currency, quote.CurrencyCode);
    }

    [Theory]
    [InlineData("\"orderStatus\":2", "\"orderStatus\":1", "orderStatus is 1")]        // a hold is not a payment
    [InlineData("\"orderStatus\":2", "\"orderStatus\":null", "orderStatus is missing")]
    [InlineData("\"amount\":3000", "\"amount\":30", "amount is 30")]
    [InlineData("\"currency\":\"AMD\"", "\"currency\":\"USD\"", "currency is USD")]
    [InlineData("-1\",\"orderId\"", "-7\",\"orderId\"", "order number is F123456789020261127-7")]
    public async Task A_Status_Word_Paid_Alone_Is_Not_Confirmed(string from, string to, string why)
    {
        (FeeQuote quote, FeePayment paid) = await Fetch(Edit(Orders.Order("Paid"), from, to));
        Assert.Equal(FeePaymentStatus.Paid, paid.Status);
        var e = Assert.Throws<EkengException>(() => FeeOrderCheck.RequireConfirmedPaid(paid, "F123456789020261127-1", quote.Amount, quote.Currency, quote.CurrencyCode));
        Assert.Equal(FeeErrors.PaymentNotConfirmed.Id, e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidResult, e.Kind);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public async Task The_Gateways_Own_Figures_When_Reported_Must_Agree()
    {
        string json = Edit(Orders.Order("Paid"), "\"orderStatus\":2", "\"orderStatus\":2,\"gatewayAmount\":300000,\"gatewayCurrency\":\"051\"");
        (FeeQuote quote, FeePayment paid) = await Fetch(json);
        FeeOrderCheck.RequireConfirmedPaid(paid, null, quote.Amount, quote.Currency, quote.CurrencyCode);

        (_, FeePayment luma) = await Fetch(Edit(json, "300000", "3000"));
        Assert.Contains("3000 luma", Assert.Throws<EkengException>(() => FeeOrderCheck.RequireConfirmedPaid(luma, null, quote.Amount, quote.Currency, quote.CurrencyCode)).Message);
        (_, FeePayment rub) = await Fetch(Edit(json, "\"051\"", "\"643\""));
        Assert.Contains("currency is 643", Assert.Throws<EkengException>(() => FeeOrderCheck.RequireConfirmedPaid(rub, null, quote.Amount, quote.Currency, quote.CurrencyCode)).Message);
    }

    [Fact]
    public async Task The_Gateways_Order_Number_When_Reported_Must_Be_The_Orders()
    {
        string json = Edit(Orders.Order("Paid"), "\"orderStatus\":2", "\"orderStatus\":2,\"gatewayOrderNumber\":\"F123456789020261127-9\"");
        (FeeQuote quote, FeePayment paid) = await Fetch(json);
        var e = Assert.Throws<EkengException>(() => FeeOrderCheck.RequireConfirmedPaid(paid, null, quote.Amount, quote.Currency, quote.CurrencyCode));
        Assert.Contains("gateway's order number is F123456789020261127-9", e.Message);
    }

    [Fact]
    public async Task Ekengs_Mismatch_Status_Is_Final_And_Not_Paid()
    {
        (_, FeePayment order) = await Fetch(Edit(Orders.Order("Paid"), "\"status\":\"Paid\"", "\"status\":\"Mismatch\""));
        Assert.Equal(FeePaymentStatus.Mismatch, order.Status);
        Assert.True(order.IsFinal);
        EkengException? e = FeeOutcome.ToError(order);
        Assert.Equal(FeeErrors.PaymentNotConfirmed.Id, e!.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidResult, e.Kind);
    }

    [Fact]
    public async Task An_Order_Matching_The_Quote_Passes_One_That_Differs_Is_Refused()
    {
        (FeeQuote quote, FeePayment order) = await Fetch(Orders.Order());
        FeeOrderCheck.RequireMatchesQuote(order, quote);

        foreach ((string from, string to, string why) in new[]
        {
            ("\"amount\":3000", "\"amount\":300000", "amount 300000 instead of 3000"),
            ("\"currency\":\"AMD\"", "\"currency\":\"EUR\"", "currency EUR instead of AMD"),
            ("\"periodEnd\":\"2027-11-26\"", "\"periodEnd\":\"2028-11-26\"", "period 2026-11-27 – 2028-11-26"),
        })
        {
            (_, FeePayment other) = await Fetch(Edit(Orders.Order(), from, to));
            var e = Assert.Throws<EkengException>(() => FeeOrderCheck.RequireMatchesQuote(other, quote));
            Assert.Equal(FeeErrors.PaymentOrderMismatch.Id, e.ErrorId);
            Assert.Equal(EkengErrorKind.SecurityError, e.Kind);
            Assert.Contains(why, e.Message);
        }
    }

    [Theory]
    [InlineData("https://127.0.0.1:5002/payment/merchants/ekeng/payment.html?mdOrder=1")]   // the service's host, the gateway's port
    [InlineData("https://127.0.0.1:5001/pay")]
    [InlineData("https://ipay.arca.am/payment/merchants/ekeng/payment.html?mdOrder=1")]
    [InlineData("https://IPAY.ARCA.AM./payment.html")]
    public async Task An_Https_Page_On_The_Service_Or_The_Named_Gateway_Is_Allowed(string url)
    {
        (_, FeePayment order) = await Fetch(Edit(Orders.Order(), "https://127.0.0.1:5002/payment/merchants/ekeng/payment.html?mdOrder=6f1c2d3e-0000-4000-8000-000000000001", url));
        Assert.Equal(new Uri(url), FeeOrderCheck.RequireSafePaymentUrl(order, Service, Gateway));
    }

    [Theory]
    [InlineData("file:///etc/passwd", "scheme is 'file'")]
    [InlineData("file://evil.example/share/run.exe", "scheme is 'file'")]                 // UNC
    [InlineData("\\\\\\\\evil.example\\\\share\\\\run.exe", "scheme is 'file'")]           // \\evil.example\share\run.exe
    [InlineData("ms-settings:privacy", "scheme is 'ms-settings'")]
    [InlineData("javascript:alert(1)", "scheme is 'javascript'")]
    [InlineData("http://127.0.0.1:5002/payment.html", "scheme is 'http'")]
    [InlineData("https://evil.example/payment.html", "host 'evil.example'")]
    [InlineData("https://ipay.arca.am.evil.example/payment.html", "host 'ipay.arca.am.evil.example'")]
    [InlineData("https://user@ipay.arca.am/payment.html", "user information")]
    public async Task Any_Other_Page_Is_Refused_Before_It_Is_Opened(string url, string why)
    {
        (_, FeePayment order) = await Fetch(Edit(Orders.Order(), "https://127.0.0.1:5002/payment/merchants/ekeng/payment.html?mdOrder=6f1c2d3e-0000-4000-8000-000000000001", url));
        var e = Assert.Throws<EkengException>(() => FeeOrderCheck.RequireSafePaymentUrl(order, Service, Gateway));
        Assert.Equal(FeeErrors.PaymentUrlRefused.Id, e.ErrorId);
        Assert.Equal(EkengErrorKind.SecurityError, e.Kind);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public async Task The_Status_Json_In_The_Debug_Log_Never_Holds_A_Full_Card_Number()
    {
        // A server that (wrongly) sends the full number: the module's debug log shows the gateway's mask only.
        string json = Edit(Orders.Order("Paid"), "\"maskedPan\":\"408306**1818\"", "\"maskedPan\":\"4083060013681818\",\"raw\":\"4000000000009995\"");
        var log = new LineLogger();
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(200, json));
        var session = new Ekeng.Http.EkengSession(handler, new Ekeng.Http.EkengSessionOptions(new Uri("https://127.0.0.1:5001/"), Ekeng.Http.ServerTrust.System));
        FeePayment order = await new FeeClient(session, log).GetOrderAsync("F123456789020261127-1");
        string logged = string.Join("\n", log.Lines);
        Assert.Contains("F123456789020261127-1", logged);   // order numbers and the ՀԾՀ are left as they are
        Assert.Contains("1234567890", logged);
        Assert.Contains("408306**1818", logged);
        Assert.Contains("400000**9995", logged);
        Assert.DoesNotContain("4083060013681818", logged);
        Assert.DoesNotContain("4000000000009995", logged);
        Assert.Equal("4083060013681818", order.MaskedPan);  // the object holds what the server sent; only logs are masked
    }
}
