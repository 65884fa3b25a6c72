using Ekeng.Rigs.CardHolder;
using Xunit.Abstractions;

namespace Ekeng.Payments.Tests;

[Collection(BrowserCollection.Name)]
public sealed class CardHolderTests(CardBrowserFixture fixture, ITestOutputHelper output)
{
    private const string ApprovingCard = "4083060013681818";

    private static readonly Dictionary<string, string> Env = new()
    {
        [TestCard.PanVariable] = ApprovingCard,
        [TestCard.ExpiryVariable] = "12/29",
        [TestCard.CvcVariable] = "123",
        [TestCard.CardholderVariable] = "ANNA PETROSYAN",
    };

    private static TestCard Card(string pan = ApprovingCard, string expiry = "12/29") => new(pan, expiry, "123", "ANNA PETROSYAN");

    [SkippableFact]
    public void ApprovedCard_FillsTheForm_AndReachesTheReturnUrl()
    {
        CardBrowser browser = fixture.RequireBrowser();
        CardHolderResult result = browser.Pay(fixture.Server.FormUrl("order-1"), Card(), null, TimeSpan.FromSeconds(30));
        output.WriteLine($"timing: one form fill {result.FormTime.TotalMilliseconds:0} ms (browser start {fixture.BrowserStart.TotalMilliseconds:0} ms)");
        Assert.Equal($"https://localhost:{fixture.Server.BaseUri.Port}/return?orderId=order-1", result.FinalUrl);
        Assert.Equal("Payment received", result.Title);
        Assert.False(result.PassedThreeDSecure);
        Assert.Equal("pan …1818 (16), cardholder ANNA PETROSYAN, expiry 12/29, cvc length 3", fixture.Server.LastSubmission);
    }

    [SkippableFact]
    public void ThreeDSecureCard_TypesTheCode()
    {
        CardBrowser browser = fixture.RequireBrowser();
        CardHolderResult result = browser.Pay(fixture.Server.FormUrl("order-3ds"), Card(CardPageServer.ThreeDsCard), CardPageServer.ThreeDsCode, TimeSpan.FromSeconds(30));
        Assert.True(result.PassedThreeDSecure);
        Assert.EndsWith("/return?orderId=order-3ds", result.FinalUrl);
    }

    [SkippableFact]
    public void ThreeDSecure_WithoutACode_SaysSo()
    {
        CardBrowser browser = fixture.RequireBrowser();
        var e = Assert.Throws<CardPageException>(() => browser.Pay(fixture.Server.FormUrl("order-3ds-none"), Card(CardPageServer.ThreeDsCard), null, TimeSpan.FromSeconds(30)));
        Assert.Contains("--three-ds-code", e.Message);
    }

    [SkippableFact]
    public void ThreeDSecure_AWrongCode_IsThePagesMessage()
    {
        CardBrowser browser = fixture.RequireBrowser();
        var e = Assert.Throws<CardPageException>(() => browser.Pay(fixture.Server.FormUrl("order-3ds-bad"), Card(CardPageServer.ThreeDsCard), "000000", TimeSpan.FromSeconds(30)));
        Assert.Equal("3-D Secure code refused.", e.Message);
    }

    [SkippableFact]
    public void Cli_LuhnError_Exits1_WithThePagesMessage_AndNeverPrintsTheCard()
    {
        CardBrowser browser = fixture.RequireBrowser();
        var env = new Dictionary<string, string>(Env) { [TestCard.PanVariable] = "4083060013681819" };
        var (exit, stdout, stderr) = Run(["--url", fixture.Server.FormUrl("order-luhn").AbsoluteUri, "--spki", string.Join(",", fixture.Pins), "--timeout", "20"], env, browser);
        Assert.Equal(1, exit);
        Assert.Contains("Card number is not valid (Luhn check).", stderr);
        Assert.DoesNotContain("4083060013681819", stdout + stderr);
    }

    [SkippableFact]
    public void Cli_Approved_Exits0_PrintingTheFinalUrlAndTitle()
    {
        CardBrowser browser = fixture.RequireBrowser();
        var (exit, stdout, stderr) = Run(["--url", fixture.Server.FormUrl("order-cli").AbsoluteUri, "--spki-from-pem", fixture.Server.CaPemPath], Env, browser);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"url: https://localhost:{fixture.Server.BaseUri.Port}/return?orderId=order-cli", stdout);
        Assert.Contains("title: Payment received", stdout);
        Assert.DoesNotContain(ApprovingCard, stdout + stderr);
        Assert.DoesNotContain("123\n", stdout);
    }

    [SkippableFact]
    public void AnExpiryInTheWrongForm_IsThePagesMessage()
    {
        CardBrowser browser = fixture.RequireBrowser();
        var e = Assert.Throws<CardPageException>(() => browser.Pay(fixture.Server.FormUrl("order-exp"), Card(expiry: "2029-12"), null, TimeSpan.FromSeconds(30)));
        Assert.Equal("Expiry must be MM/YY.", e.Message);
    }

    [Fact]
    public void SpkiPins_FromACaPem_PinTheServersLeafAndTheCa()
    {
        Assert.Equal(SpkiPins.Hash(fixture.Server.Leaf), fixture.Pins[0]);
        Assert.Equal(2, fixture.Pins.Count);
        Assert.All(fixture.Pins, p => Assert.Equal(32, Convert.FromBase64String(p).Length));
    }

    [Fact]
    public void Cli_SpkiFromPemAlone_PrintsThePins()
    {
        var (exit, stdout, _) = Run(["--spki-from-pem", fixture.Server.CaPemPath], Env, null);
        Assert.Equal(0, exit);
        Assert.Equal(fixture.Pins[1], stdout.Trim());
    }

    [Theory]
    [InlineData("--url https://127.0.0.1:1/pay")]
    [InlineData("--url ftp://x --spki AAAA")]
    [InlineData("--spki notbase64 --url https://127.0.0.1:1/")]
    [InlineData("--timeout -1")]
    [InlineData("--bogus")]
    public void Cli_UsageErrors_Exit2_WithoutABrowser(string commandLine)
    {
        var (exit, _, stderr) = Run(commandLine.Split(' '), Env, null);
        Assert.Equal(2, exit);
        Assert.Contains("dotnet CardHolder.dll", stderr);
    }

    [Fact]
    public void Cli_TheCardComesFromTheEnvironment_MissingOnesAreNamed()
    {
        var (exit, _, stderr) = Run(["--url", "https://127.0.0.1:1/pay", "--spki", fixture.Pins[0]], new Dictionary<string, string>(), null);
        Assert.Equal(2, exit);
        Assert.Contains("EKENG_TEST_PAN, EKENG_TEST_EXPIRY, EKENG_TEST_CVC, EKENG_TEST_CARDHOLDER", stderr);
    }

    private static (int Exit, string Stdout, string Stderr) Run(string[] args, Dictionary<string, string> env, CardBrowser? browser)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CardHolderCli.Run(args, n => env.GetValueOrDefault(n), stdout, stderr, browser);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
