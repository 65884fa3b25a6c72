using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Ekeng.Payments
{
    /// <summary>
    /// The receipt as a one-page A4 PDF. The only code that names PDFsharp's types besides its font resolver: the
    /// module's import never loads PDFsharp; the first receipt does.
    /// </summary>
    internal static class FeeReceiptPdf
    {
        private static readonly object Gate = new object();
        private static ReceiptFontResolver? _resolver;

        public static byte[] Render(FeeReceipt receipt, ReceiptFonts fonts)
        {
            EnsureResolver(fonts);
            using (var document = new PdfDocument())
            {
                document.Info.Title = FeeReceipt.EnglishTitle + " " + receipt.Payment.OrderNumber;
                document.Info.Author = "EKENG CJSC";
                document.Info.Subject = receipt.Title;
                document.Info.Creator = "Ekeng.PowerShell";
                PdfPage page = document.AddPage();
                page.Width = XUnit.FromMillimeter(210);
                page.Height = XUnit.FromMillimeter(297);
                using (XGraphics gfx = XGraphics.FromPdfPage(page))
                {
                    var title = new XFont(ReceiptFontResolver.FamilyName, 18, XFontStyleEx.Bold);
                    var subtitle = new XFont(ReceiptFontResolver.FamilyName, 12, XFontStyleEx.Regular);
                    var label = new XFont(ReceiptFontResolver.FamilyName, 10, XFontStyleEx.Bold);
                    var english = new XFont(ReceiptFontResolver.FamilyName, 8, XFontStyleEx.Regular);
                    var value = new XFont(ReceiptFontResolver.FamilyName, 11, XFontStyleEx.Regular);
                    double left = 56;
                    double valueX = 230;
                    double right = page.Width.Point - 56;
                    double y = 70;
                    gfx.DrawString(FeeReceipt.ArmenianTitle, title, XBrushes.Black, new XPoint(left, y));
                    y += 20;
                    gfx.DrawString(FeeReceipt.EnglishTitle, subtitle, XBrushes.DimGray, new XPoint(left, y));
                    y += 14;
                    gfx.DrawLine(new XPen(XColors.DarkGray, 0.8), left, y, right, y);
                    y += 26;
                    foreach (FeeReceiptLine line in receipt.Lines)
                    {
                        gfx.DrawString(line.ArmenianLabel, label, XBrushes.Black, new XPoint(left, y));
                        gfx.DrawString(line.EnglishLabel, english, XBrushes.DimGray, new XPoint(left, y + 11));
                        foreach (string part in Wrap(line.Value))
                        {
                            gfx.DrawString(part, value, XBrushes.Black, new XPoint(valueX, y));
                            y += 14;
                        }

                        y += 16;
                    }

                    gfx.DrawLine(new XPen(XColors.DarkGray, 0.5), left, y, right, y);
                    y += 16;
                    gfx.DrawString("Ekeng.PowerShell, " + DateTimeOffset.UtcNow.ToOffset(FeeReceipt.YerevanOffset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " (UTC+04:00)", english, XBrushes.DimGray, new XPoint(left, y));
                }

                using (var stream = new MemoryStream())
                {
                    document.Save(stream, false);
                    return stream.ToArray();
                }
            }
        }

        // Values are short except the purpose line ("Armenian / English"): break it at " / ".
        private static string[] Wrap(string value) =>
            value.Length > 48 && value.Contains(" / ") ? value.Split(new[] { " / " }, StringSplitOptions.None) : new[] { value };

        private static void EnsureResolver(ReceiptFonts fonts)
        {
            lock (Gate)
            {
                if (_resolver != null)
                {
                    return;
                }

                // PDFsharp takes one resolver per process, set before the first font is used.
                if (GlobalFontSettings.FontResolver is ReceiptFontResolver existing)
                {
                    _resolver = existing;
                    return;
                }

                var resolver = new ReceiptFontResolver(fonts);
                GlobalFontSettings.FontResolver = resolver;
                _resolver = resolver;
            }
        }
    }
}
