using Ekeng.Signing;

namespace Ekeng.Tests.Signing;

/// <summary>The pure parts of the PDF update and check: names, text strings, dates, the /Contents padding.</summary>
public sealed class PdfSyntaxTests
{
    [Theory]
    [InlineData("/Type", "/Type")]
    [InlineData("/A B", "/A#20B")]
    [InlineData("/x#y(z)", "/x#23y#28z#29")]
    [InlineData("/Ա", "/#D4#B1")]
    public void NamesAreEscaped(string name, string written) => Assert.Equal(written, PdfObjectWriter.Name(name));

    [Fact]
    public void TextStringsAreHexadecimalAndUtf16WhenNotAscii()
    {
        Assert.Equal("<41707072>", PdfObjectWriter.TextString("Appr"));
        Assert.Equal("<FEFF0535>", PdfObjectWriter.TextString("Ե"));
    }

    [Theory]
    [InlineData("/M (D:20261207101530+04'00')", "2026-12-07T06:15:30")]
    [InlineData("/M(D:20261207061530Z)", "2026-12-07T06:15:30")]
    [InlineData("/M (D:20261207011530-05'00')", "2026-12-07T06:15:30")]
    [InlineData("/M (D:2026)", "2026-01-01T00:00:00")]
    public void PdfDatesAreReadInUtc(string dictionary, string utc)
    {
        DateTime? time = PdfSignatureSyntax.ParsePdfTime(dictionary);
        Assert.Equal(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), time);
        Assert.Equal(DateTimeKind.Utc, time!.Value.Kind);
    }

    [Fact]
    public void TheWrittenDateIsUtcWithItsOffset()
    {
        Assert.Equal("(D:20261207061530+00'00')", PdfIncrementalSigner.PdfDate(new DateTime(2026, 12, 7, 6, 15, 30, DateTimeKind.Utc)));
    }

    [Fact]
    public void TheCmsIsCutFromItsZeroPadding()
    {
        byte[] der = [0x30, 0x82, 0x00, 0x03, 1, 2, 3];
        Assert.Equal(der, PdfSignatureSyntax.TrimDer([.. der, 0, 0, 0, 0]));
        Assert.Equal([0x30, 0x02, 5, 6], PdfSignatureSyntax.TrimDer([0x30, 0x02, 5, 6, 0, 0]));
    }

    [Fact]
    public void StartXrefIsTheLastOne()
    {
        byte[] pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\nxxxxxxxxxxxxxxxxxxxxxxxxxxx\nstartxref\n9\n%%EOF\nmore\nstartxref\n20\n%%EOF\n");
        Assert.Equal(20, PdfIncrementalSigner.FindStartXref(pdf));
        Assert.Null(PdfIncrementalSigner.FindStartXref(System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\nstartxref\n99999\n%%EOF\n")));
    }
}
