using System.Globalization;
using System.Net;

namespace Ekeng.Sandbox.Gateway;

/// <summary>The gateway's HTML: plain forms, no script, so that a browser or a plain HTTP client can post them.</summary>
public static class CardPage
{
    public const string FormPath = "/payment/merchants/ekeng/payment.html";
    public const string AcsPath = "/payment/merchants/ekeng/acs.html";

    public static string Form(GatewayOrder o, string? error) => Page("Payment (ArCa sandbox)", $"""
        {Summary(o)}
        {(error is null ? "" : $"<p id=\"error\" class=\"error\" role=\"alert\">{H(error)}</p>")}
        <form method="post" action="{FormPath}" autocomplete="off">
          <input type="hidden" name="mdOrder" value="{H(o.OrderId)}">
          <p><label for="pan">Card number</label><br><input id="pan" name="pan" inputmode="numeric" maxlength="23" required></p>
          <p><label for="cardholder">Cardholder name</label><br><input id="cardholder" name="cardholder" maxlength="64" required></p>
          <p><label for="expiry">Expiry (MM/YY)</label><br><input id="expiry" name="expiry" placeholder="MM/YY" maxlength="5" required></p>
          <p><label for="cvc">CVC2/CVV2</label><br><input id="cvc" name="cvc" type="password" inputmode="numeric" maxlength="4" required></p>
          <p><button id="pay" type="submit">Pay {Amount(o)}</button></p>
        </form>
        <p class="note">Sandbox: test cards 4083060013681818 (approves), 4000000000009995 (declines, 116), 4000000000003220 (3-D Secure, code 123456), 4000000000001091 (approved as a hold only, orderStatus 1), any Luhn-valid 9051… ArCa card.</p>
        """);

    public static string ThreeDSecure(GatewayOrder o) => Page("3-D Secure (sandbox)", $"""
        {Summary(o)}
        <p>Card {H(o.MaskedPan ?? "")}: enter the one-time code your bank sent (sandbox: 123456).</p>
        <form method="post" action="{AcsPath}" autocomplete="off">
          <input type="hidden" name="mdOrder" value="{H(o.OrderId)}">
          <p><label for="code">Code</label><br><input id="code" name="code" inputmode="numeric" maxlength="8" required></p>
          <p><button id="confirm" type="submit">Confirm</button></p>
        </form>
        """);

    public static string Finished(GatewayOrder o, string redirect)
    {
        string text = o.OrderStatus switch
        {
            2 or 1 => $"Payment approved (approval code {o.ApprovalCode}).",
            3 => "The payment was reversed.",
            4 => "The payment was refunded.",
            _ => $"Payment not completed: {o.ActionDescription} (actionCode {o.ActionCode}).",
        };
        return Page("Payment (ArCa sandbox)", $"""
            {Summary(o)}
            <p id="result">{H(text)}</p>
            <p><a id="back" href="{H(redirect)}">Return to the merchant</a></p>
            """);
    }

    public static string NotFound() => Page("Payment (ArCa sandbox)", "<p id=\"error\">Unknown order.</p>");

    private static string Summary(GatewayOrder o) =>
        $"<p>Order {H(o.OrderNumber)}: <strong id=\"amount\">{Amount(o)}</strong>{(o.Description is null ? "" : " — " + H(o.Description))}</p>";

    private static string Amount(GatewayOrder o) =>
        (o.Amount / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + (o.Currency == "051" ? "AMD" : o.Currency);

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private const string Style = "body{font-family:sans-serif;max-width:32em;margin:2em auto}.error{color:#b00}.note{color:#666;font-size:small}";

    private static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{H(title)}</title>
        <style>{Style}</style></head>
        <body><h1>{H(title)}</h1>
        {body}
        </body></html>
        """;
}
