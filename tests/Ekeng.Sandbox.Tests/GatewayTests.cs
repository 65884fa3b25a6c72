using System.Net;
using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>The ArCa-style gateway's REST methods and card page, driven by a plain HTTP client.</summary>
public sealed class GatewayTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    private HttpClient Gw() => f.Sandbox.Client(baseAddress: f.Sandbox.Gateway);
    private static string Number() => "T" + Guid.NewGuid().ToString("N")[..20];

    private async Task<(string OrderId, string FormUrl)> Register(HttpClient gw, Dictionary<string, string>? extra = null)
    {
        var form = GatewayApi.Order(Number());
        foreach (var kv in extra ?? []) form[kv.Key] = kv.Value;
        JsonElement r = await GatewayApi.Call(gw, "register.do", form);
        Assert.Equal("0", GatewayApi.ErrorCode(r));
        return (r.GetProperty("orderId").GetString()!, r.GetProperty("formUrl").GetString()!);
    }

    private async Task<JsonElement> Status(HttpClient gw, string orderId) =>
        await GatewayApi.Call(gw, "getOrderStatusExtended.do", new() { ["orderId"] = orderId });

    [Fact]
    public async Task Register_Status_Registered()
    {
        using HttpClient gw = Gw();
        string number = Number();
        JsonElement r = await GatewayApi.Call(gw, "register.do", GatewayApi.Order(number));
        Assert.Equal(JsonValueKind.Number, r.GetProperty("errorCode").ValueKind);
        string orderId = r.GetProperty("orderId").GetString()!;
        Assert.True(Guid.TryParse(orderId, out _));
        Assert.Equal($"{f.Sandbox.Gateway.ToString().TrimEnd('/')}/payment/merchants/ekeng/payment.html?mdOrder={orderId}", r.GetProperty("formUrl").GetString());

        JsonElement s = await Status(gw, orderId);
        Assert.Equal(JsonValueKind.String, s.GetProperty("errorCode").ValueKind);
        Assert.Equal("0", s.GetProperty("errorCode").GetString());
        Assert.Equal(number, s.GetProperty("orderNumber").GetString());
        Assert.Equal(0, s.GetProperty("orderStatus").GetInt32());
        Assert.Equal(-100, s.GetProperty("actionCode").GetInt32());
        Assert.Equal(300000, s.GetProperty("amount").GetInt64());
        Assert.Equal("051", s.GetProperty("currency").GetString());
        long date = s.GetProperty("date").GetInt64();
        DateTimeOffset sandboxNow = await f.AdvanceClock(TimeSpan.Zero);   // the sandbox's clock (tests move it forward)
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(date), sandboxNow.AddMinutes(-5), sandboxNow.AddSeconds(1));

        // orderNumber works too; orderId wins when both are given.
        JsonElement byNumber = await GatewayApi.Call(gw, "getOrderStatusExtended.do", new() { ["orderNumber"] = number });
        Assert.Equal(number, byNumber.GetProperty("orderNumber").GetString());
        JsonElement both = await GatewayApi.Call(gw, "getOrderStatusExtended.do", new() { ["orderId"] = orderId, ["orderNumber"] = "nonexistent" });
        Assert.Equal(number, both.GetProperty("orderNumber").GetString());
    }

    [Fact]
    public async Task Register_Errors()
    {
        using HttpClient gw = Gw();
        string number = Number();
        Assert.Equal("0", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", GatewayApi.Order(number))));
        Assert.Equal("1", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", GatewayApi.Order(number))));
        Assert.Equal("3", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", GatewayApi.Order(Number(), currency: "999"))));
        var noAmount = GatewayApi.Order(Number());
        noAmount.Remove("amount");
        Assert.Equal("4", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", noAmount)));
        var bad = GatewayApi.Order(Number());
        bad["userName"] = "ekeng_api";
        bad["password"] = "wrong";
        Assert.Equal("5", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", bad)));
        var plus = GatewayApi.Order(Number());
        plus["description"] = "fee + tax";
        Assert.Equal("5", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", plus)));
        Assert.Equal("5", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", GatewayApi.Order(new string('9', 33)))));
        var lang = GatewayApi.Order(Number());
        lang["language"] = "de";
        Assert.Equal("5", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", lang)));
        var timeout = GatewayApi.Order(Number());
        timeout["sessionTimeoutSecs"] = "1201";
        Assert.Equal("5", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", timeout)));
    }

    [Fact]
    public async Task Currency_Defaults_To643()
    {
        using HttpClient gw = Gw();
        JsonElement r = await GatewayApi.Call(gw, "register.do", GatewayApi.Order(Number(), currency: null));
        JsonElement s = await Status(gw, r.GetProperty("orderId").GetString()!);
        Assert.Equal("643", s.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task UnknownOrder_ErrorCode6()
    {
        using HttpClient gw = Gw();
        JsonElement s = await Status(gw, Guid.NewGuid().ToString());
        Assert.Equal("6", s.GetProperty("errorCode").GetString());
        JsonElement rev = await GatewayApi.Call(gw, "reverse.do", new() { ["orderId"] = Guid.NewGuid().ToString() });
        Assert.Equal(6, rev.GetProperty("errorCode").GetInt32());
    }

    [Fact]
    public async Task Approve_ReverseOnce()
    {
        using HttpClient gw = Gw();
        var (orderId, formUrl) = await Register(gw);
        using HttpResponseMessage post = await f.PayOnPage(formUrl, "4083060013681818");
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal($"https://127.0.0.1:1/return?orderId={orderId}", post.Headers.Location!.ToString());

        JsonElement s = await Status(gw, orderId);
        Assert.Equal(2, s.GetProperty("orderStatus").GetInt32());
        Assert.Equal(0, s.GetProperty("actionCode").GetInt32());
        JsonElement card = s.GetProperty("cardAuthInfo");
        Assert.Equal("408306**1818", card.GetProperty("pan").GetString());
        Assert.Equal("203012", card.GetProperty("expiration").GetString());
        Assert.Equal("ARMEN SARGSYAN", card.GetProperty("cardholderName").GetString());
        Assert.Matches("^[A-Z0-9]{6}$", card.GetProperty("approvalCode").GetString());
        Assert.False(s.TryGetProperty("approvalCode", out _));
        Assert.False(string.IsNullOrEmpty(s.GetProperty("authRefNum").GetString()));

        Assert.Equal(0, (await GatewayApi.Call(gw, "reverse.do", new() { ["orderId"] = orderId })).GetProperty("errorCode").GetInt32());
        Assert.Equal(3, (await Status(gw, orderId)).GetProperty("orderStatus").GetInt32());
        Assert.Equal(7, (await GatewayApi.Call(gw, "reverse.do", new() { ["orderId"] = orderId })).GetProperty("errorCode").GetInt32());
        Assert.Equal(7, (await GatewayApi.Call(gw, "refund.do", new() { ["orderId"] = orderId, ["amount"] = "100" })).GetProperty("errorCode").GetInt32());
    }

    [Fact]
    public async Task Refund_UpToTotal()
    {
        using HttpClient gw = Gw();
        var (orderId, formUrl) = await Register(gw);
        Assert.Equal(7, (await GatewayApi.Call(gw, "refund.do", new() { ["orderId"] = orderId, ["amount"] = "100" })).GetProperty("errorCode").GetInt32());
        using (await f.PayOnPage(formUrl, "4083060013681818")) { }
        Assert.Equal(0, (await GatewayApi.Call(gw, "refund.do", new() { ["orderId"] = orderId, ["amount"] = "100000" })).GetProperty("errorCode").GetInt32());
        Assert.Equal(0, (await GatewayApi.Call(gw, "refund.do", new() { ["orderId"] = orderId, ["amount"] = "200000" })).GetProperty("errorCode").GetInt32());
        Assert.Equal(7, (await GatewayApi.Call(gw, "refund.do", new() { ["orderId"] = orderId, ["amount"] = "1" })).GetProperty("errorCode").GetInt32());
        JsonElement s = await Status(gw, orderId);
        Assert.Equal(4, s.GetProperty("orderStatus").GetInt32());
        Assert.Equal(300000, s.GetProperty("paymentAmountInfo").GetProperty("refundedAmount").GetInt64());
    }

    [Fact]
    public async Task Decline_116()
    {
        using HttpClient gw = Gw();
        var (orderId, formUrl) = await Register(gw);
        using HttpResponseMessage post = await f.PayOnPage(formUrl, "4000000000009995");
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        JsonElement s = await Status(gw, orderId);
        Assert.Equal(6, s.GetProperty("orderStatus").GetInt32());
        Assert.Equal(116, s.GetProperty("actionCode").GetInt32());
    }

    [Fact]
    public async Task ThreeDSecure_PassAndFail()
    {
        using HttpClient gw = Gw();
        foreach ((string code, int status, int action) in new[] { ("123456", 2, 0), ("000000", 6, -2006) })
        {
            var (orderId, formUrl) = await Register(gw);
            using HttpResponseMessage post = await f.PayOnPage(formUrl, "4000000000003220");
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.Equal(5, (await Status(gw, orderId)).GetProperty("orderStatus").GetInt32());
            var acs = new Uri(f.Sandbox.Gateway, post.Headers.Location!);
            string page = await gw.GetStringAsync(acs);
            Assert.Contains("id=\"code\"", page);
            Assert.Contains("name=\"code\"", page);
            Assert.Contains("id=\"confirm\"", page);
            using HttpResponseMessage confirm = await gw.PostAsync(acs.GetLeftPart(UriPartial.Path),
                new FormUrlEncodedContent(new Dictionary<string, string> { ["mdOrder"] = orderId, ["code"] = code }));
            Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
            Assert.Contains($"orderId={orderId}", confirm.Headers.Location!.ToString());
            JsonElement s = await Status(gw, orderId);
            Assert.Equal(status, s.GetProperty("orderStatus").GetInt32());
            Assert.Equal(action, s.GetProperty("actionCode").GetInt32());
        }
    }

    [Theory]
    [InlineData("4083060013681819", "12/30", "not valid")]   // Luhn
    [InlineData("4083060013681818", "01/20", "expired")]
    [InlineData("4083060013681818", "13/30", "MM/YY")]
    public async Task CardChecks_ErrorOnPage_OrderStaysRegistered(string pan, string expiry, string message)
    {
        using HttpClient gw = Gw();
        var (orderId, formUrl) = await Register(gw);
        using HttpResponseMessage post = await f.PayOnPage(formUrl, pan, expiry);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        string page = await post.Content.ReadAsStringAsync();
        Assert.Contains("id=\"error\"", page);
        Assert.Contains(message, page);
        Assert.Contains("id=\"pay\"", page);
        Assert.Equal(0, (await Status(gw, orderId)).GetProperty("orderStatus").GetInt32());
    }

    [Fact]
    public async Task ArcaCard_Approves_AndNoFullPanStored()
    {
        using HttpClient gw = Gw();
        string arca = LuhnComplete("905100001234567");
        var (orderId, formUrl) = await Register(gw);
        using (await f.PayOnPage(formUrl, arca)) { }
        JsonElement s = await Status(gw, orderId);
        Assert.Equal(2, s.GetProperty("orderStatus").GetInt32());
        Assert.Equal(arca[..6] + "**" + arca[^4..], s.GetProperty("cardAuthInfo").GetProperty("pan").GetString());

        // The gateway keeps only masked numbers: no full PAN in its database or its output.
        byte[] db = File.ReadAllBytes(Path.Combine(f.Sandbox.DataDirectory, "sandbox.db"));
        string wal = Path.Combine(f.Sandbox.DataDirectory, "sandbox.db-wal");
        byte[] all = File.Exists(wal) ? [.. db, .. ReadShared(wal)] : db;
        string text = System.Text.Encoding.ASCII.GetString(all);
        Assert.DoesNotContain(arca, text);
        Assert.DoesNotContain("4083060013681818", text);
        Assert.DoesNotContain(arca, f.Sandbox.Output);
    }

    [Theory]
    [InlineData("returnUrl", "javascript:alert(1)")]
    [InlineData("returnUrl", "data:text/html,<script>alert(1)</script>")]
    [InlineData("returnUrl", "file:///etc/passwd")]
    [InlineData("returnUrl", "https://example.com/return")]
    [InlineData("returnUrl", "https://10.1.2.3/return")]
    [InlineData("returnUrl", "https://127.0.0.1.example.com/return")]
    [InlineData("returnUrl", "https://user@127.0.0.1/return")]
    [InlineData("failUrl", "javascript:alert(1)")]
    [InlineData("failUrl", "http://example.com/fail")]
    public async Task ReturnAndFailUrl_OnlyHttpOnLoopback_Else5(string name, string url)
    {
        using HttpClient gw = Gw();
        var form = GatewayApi.Order(Number());
        form[name] = url;
        JsonElement r = await GatewayApi.Call(gw, "register.do", form);
        Assert.Equal("5", GatewayApi.ErrorCode(r));
        Assert.False(r.TryGetProperty("orderId", out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/return")]
    [InlineData("https://localhost:1/return")]
    [InlineData("https://[::1]:1/return")]
    public async Task ReturnUrl_Loopback_Accepted(string url)
    {
        using HttpClient gw = Gw();
        var form = GatewayApi.Order(Number());
        form["returnUrl"] = url;
        Assert.Equal("0", GatewayApi.ErrorCode(await GatewayApi.Call(gw, "register.do", form)));
    }

    [Fact]
    public async Task ReturnLink_OnTheFinishedPage_IsAttributeEncoded()
    {
        using HttpClient gw = Gw();
        var (orderId, formUrl) = await Register(gw, new() { ["returnUrl"] = "https://127.0.0.1:1/r?x=\"'><b>y</b>" });
        using HttpResponseMessage post = await gw.PostAsync(new Uri(formUrl).GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["mdOrder"] = orderId, ["pan"] = "4083060013681818", ["cardholder"] = "Armen Sargsyan", ["expiry"] = "12/30", ["cvc"] = "123",
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        string page = await gw.GetStringAsync(formUrl);                    // the decided order's page: a link back
        string link = page[page.IndexOf("id=\"back\"", StringComparison.Ordinal)..];
        link = link[..link.IndexOf('>')];
        Assert.StartsWith("id=\"back\" href=\"https://127.0.0.1:1/r?x=", link);
        Assert.DoesNotContain("<b>", page);
        Assert.DoesNotContain("'><", page);
        Assert.Equal(4, link.Count(ch => ch == '"'));                       // id="back" href="…": the value never closes the attribute early
    }

    [Fact]
    public async Task SessionExpiry_Status6_Minus2007()
    {
        using HttpClient gw = Gw();
        var (orderId, formUrl) = await Register(gw, new() { ["sessionTimeoutSecs"] = "60" });
        Assert.Equal(0, (await Status(gw, orderId)).GetProperty("orderStatus").GetInt32());
        await f.AdvanceClock(TimeSpan.FromSeconds(61));                   // the sandbox's clock: no real wait
        JsonElement s = await Status(gw, orderId);
        Assert.Equal(6, s.GetProperty("orderStatus").GetInt32());
        Assert.Equal(-2007, s.GetProperty("actionCode").GetInt32());
        string page = await gw.GetStringAsync(formUrl);
        Assert.DoesNotContain("id=\"pay\"", page);
    }

    private static byte[] ReadShared(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var ms = new MemoryStream();
        fs.CopyTo(ms);
        return ms.ToArray();
    }

    public static string LuhnComplete(string prefix)
    {
        for (int d = 0; d < 10; d++)
        {
            string pan = prefix + d;
            int sum = 0;
            for (int i = 0; i < pan.Length; i++)
            {
                int v = pan[pan.Length - 1 - i] - '0';
                if (i % 2 == 1) { v *= 2; if (v > 9) v -= 9; }
                sum += v;
            }
            if (sum % 10 == 0) return pan;
        }
        throw new InvalidOperationException();
    }
}
