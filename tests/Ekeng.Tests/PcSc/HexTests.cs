using Ekeng.PcSc;
using Ekeng.Signing;

namespace Ekeng.Tests.PcSc;

/// <summary>The one hex helper, in every form its users give it (ATRs on the command line, the virtual card, PDF hex strings).</summary>
public sealed class HexTests
{
    [Theory]
    [InlineData("3B:DC:18")]
    [InlineData("3B DC 18")]
    [InlineData("3b-dc-18")]
    [InlineData("3BDC18")]
    [InlineData("0x3BDC18")]
    [InlineData("3B\tDC 18")]
    public void Every_Documented_Form_Parses(string text) => Assert.Equal(new byte[] { 0x3B, 0xDC, 0x18 }, Hex.Parse(text));

    [Theory]
    [InlineData("3BD")]
    [InlineData("3G")]
    public void An_Odd_Count_Or_A_Non_Hex_Digit_Is_A_FormatException(string text) => Assert.Throws<FormatException>(() => Hex.Parse(text));

    [Fact]
    public void Format_Is_Upper_Case_Without_Separators() => Assert.Equal("3BDC180A", Hex.Format([0x3B, 0xDC, 0x18, 0x0A]));

    [Fact]
    public void A_Pdf_Hex_String_Ignores_White_Space_And_Completes_An_Odd_Last_Digit() =>
        Assert.Equal(new byte[] { 0x30, 0x82, 0x70 }, PdfSignatureSyntax.FromHex("30 82\n7"));
}
