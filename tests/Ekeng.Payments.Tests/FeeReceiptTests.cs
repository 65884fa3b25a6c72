using System.Diagnostics;
using Ekeng.Diagnostics;

namespace Ekeng.Payments.Tests;

public sealed class FeeReceiptTests : IDisposable
{
    private const string PdfToText = "/usr/bin/pdftotext";
    private readonly string _dir = Directory.CreateTempSubdirectory("ekeng-receipt-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Text_IsBilingual_WithEveryField()
    {
        string text = FeeReceipt.FromPayment(Orders.Paid()).ToText();
        Assert.StartsWith("Վճարման անդորրագիր / Payment receipt\n", text);
        Assert.Contains("Վճարող / Payer: ANNA PETROSYAN", text);
        Assert.Contains("ՀԾՀ / Public service number: 1234567890", text);
        Assert.Contains("Գումար / Amount: 3 000 AMD", text);
        Assert.Contains("Պատվերի համար / Order number: F123456789020261127-1", text);
        Assert.Contains("Հաստատման կոդ / Approval code: A7Q2X9", text);
        Assert.Contains("Քարտ / Card: 408306**1818", text);
        Assert.Contains("Վճարման եղանակ / Payment method: Visa", text);
        Assert.Contains("Ամսաթիվ / Date: 2026-11-27 07:41 (UTC+04:00)", text);
        Assert.Contains("Ժամանակահատված / Period: 2026-11-27 – 2027-11-26", text);
    }

    [Theory]
    [InlineData(3000, "3 000 AMD")]
    [InlineData(1234567.5, "1 234 567.50 AMD")]
    [InlineData(500, "500 AMD")]
    public void Amount_HasThousandsSpaced(decimal amount, string expected) => Assert.Equal(expected, FeeReceipt.FormatAmount(amount, "AMD"));

    [Theory]
    [InlineData("Pending")]
    [InlineData("Declined")]
    public void OnlyAPaidOrder_HasAReceipt(string status)
    {
        var e = Assert.Throws<EkengException>(() => FeeReceipt.FromPayment(Orders.ParseOrder(Orders.Order(status, actionCode: status == "Declined" ? 116 : null))));
        Assert.Equal(FeeErrors.ReceiptNotPaid.Id, e.ErrorId);
    }

    [SkippableFact]
    public void Pdf_TextExtracted_ShowsAmountOrderArmenianWordsAndTheServiceNumber()
    {
        Requires.InstalledFile(PdfToText, "poppler-utils");
        Requires.InstalledFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core");
        string path = Path.Combine(_dir, "receipt.pdf");
        var watch = Stopwatch.StartNew();
        string written = FeeReceipt.FromPayment(Orders.Paid()).WritePdf(path);
        long ms = watch.ElapsedMilliseconds;
        Assert.Equal(path, written);
        Assert.StartsWith("%PDF-", File.ReadAllText(path)[..5]);

        string text = Extract(path);
        Assert.Contains("3 000 AMD", text);
        Assert.Contains("F123456789020261127-1", text);
        Assert.Contains("Վճարման անդորրագիր", text);
        // Each field's exact value, read as the line after its Armenian label (pdftotext's reading order).
        Assert.Equal("ANNA PETROSYAN", ValueAfter(text, "Վճարող"));
        Assert.Equal("1234567890", ValueAfter(text, "ՀԾՀ"));
        Assert.Equal("3 000 AMD", ValueAfter(text, "Գումար"));
        Assert.Equal("F123456789020261127-1", ValueAfter(text, "Պատվերի համար"));
        Assert.Equal("A7Q2X9", ValueAfter(text, "Հաստատման կոդ"));
        Assert.Equal("408306**1818", ValueAfter(text, "Քարտ"));
        Assert.Equal("2026-11-27 07:41 (UTC+04:00)", ValueAfter(text, "Ամսաթիվ"));
        Assert.Equal("2026-11-27 – 2027-11-26", ValueAfter(text, "Ժամանակահատված"));
        Assert.Single(Directory.GetFiles(_dir));
        Console.WriteLine($"timing: first PDF receipt {ms} ms");
    }

    [SkippableFact]
    public void Pdf_AnExistingFile_IsKept_UnlessForce()
    {
        Requires.InstalledFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core");
        string path = Path.Combine(_dir, "receipt.pdf");
        File.WriteAllText(path, "mine");
        FeeReceipt receipt = FeeReceipt.FromPayment(Orders.Paid());
        var e = Assert.Throws<EkengException>(() => receipt.WritePdf(path));
        Assert.Equal(FeeErrors.ReceiptExists.Id, e.ErrorId);
        Assert.Equal("mine", File.ReadAllText(path));

        var watch = Stopwatch.StartNew();
        receipt.WritePdf(path, force: true);
        Console.WriteLine($"timing: PDF receipt (warm) {watch.ElapsedMilliseconds} ms");
        Assert.StartsWith("%PDF-", File.ReadAllText(path)[..5]);
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [SkippableFact]
    public void Pdf_AFailedWrite_LeavesNoFile()
    {
        Requires.InstalledFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core");
        string path = Path.Combine(_dir, "missing-folder", "receipt.pdf");
        var e = Assert.Throws<EkengException>(() => FeeReceipt.FromPayment(Orders.Paid()).WritePdf(path));
        Assert.Equal(FeeErrors.ReceiptWriteFailed.Id, e.ErrorId);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Fonts_ANamedFontFileWins()
    {
        string font = Path.Combine(_dir, "Custom.ttf");
        File.WriteAllBytes(font, [0, 1, 0, 0]);
        string? before = Environment.GetEnvironmentVariable(ReceiptFonts.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ReceiptFonts.EnvironmentVariable, font);
            ReceiptFonts fonts = ReceiptFonts.Find();
            Assert.Equal(font, fonts.RegularPath);
            Assert.Null(fonts.BoldPath);

            Environment.SetEnvironmentVariable(ReceiptFonts.EnvironmentVariable, Path.Combine(_dir, "None.ttf"));
            var e = Assert.Throws<EkengException>(() => ReceiptFonts.Find());
            Assert.Equal(FeeErrors.ReceiptFontNotFound.Id, e.ErrorId);
            Assert.Contains("fonts-dejavu-core", e.RecommendedAction);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ReceiptFonts.EnvironmentVariable, before);
        }
    }

    /// <summary>The first non-empty line after the line that is exactly <paramref name="label"/>.</summary>
    internal static string? ValueAfter(string text, string label)
    {
        string[] lines = text.Split('\n').Select(l => l.Trim()).ToArray();
        int at = Array.IndexOf(lines, label);
        return at < 0 ? null : lines.Skip(at + 1).FirstOrDefault(l => l.Length > 0);
    }

    private static string Extract(string pdf)
    {
        var psi = new ProcessStartInfo(PdfToText) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-enc", "UTF-8", pdf, "-" })
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"pdftotext exited {p.ExitCode}: {err}");
        return text;
    }
}
