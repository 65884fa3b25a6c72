using System.Runtime.CompilerServices;
using Ekeng.Diagnostics;

namespace Ekeng.Payments
{
    /// <summary>
    /// The confirmation of a paid fee, as the bank's confirmation shows it, in Armenian and English: payer, ՀԾՀ,
    /// amount, order number, approval code, masked card, method, date and period. <see cref="ToText"/> gives the
    /// text form; <see cref="WritePdf"/> the PDF (PDFsharp, loaded only then). Only a Paid order has a receipt.
    /// </summary>
    public sealed class FeeReceipt
    {
        /// <summary>Yerevan's offset (UTC+4, no daylight saving since 2012): the receipt's dates are local to Armenia.</summary>
        public static readonly TimeSpan YerevanOffset = TimeSpan.FromHours(4);

        public const string ArmenianTitle = "Վճարման անդորրագիր";
        public const string EnglishTitle = "Payment receipt";

        private FeeReceipt(FeePayment payment)
        {
            Payment = payment;
        }

        /// <summary>The paid order the receipt is for.</summary>
        public FeePayment Payment { get; }

        public string Title => ArmenianTitle + " / " + EnglishTitle;

        /// <summary>The receipt's lines, in print order.</summary>
        public IReadOnlyList<FeeReceiptLine> Lines
        {
            get
            {
                FeePayment p = Payment;
                string card = p.MaskedPan ?? "—";
                var lines = new List<FeeReceiptLine>
                {
                    new FeeReceiptLine("Ստացող", "Payee", "«ԷԿԵՆԳ» ՓԲԸ / EKENG CJSC"),
                    new FeeReceiptLine("Նպատակ", "Purpose", "Էլեկտրոնային ստորագրության տարեկան վճար / Annual e-signature fee"),
                    new FeeReceiptLine("Վճարող", "Payer", string.IsNullOrWhiteSpace(p.HolderName) ? "—" : p.HolderName),
                    new FeeReceiptLine("ՀԾՀ", "Public service number", string.IsNullOrWhiteSpace(p.PublicServiceNumber) ? "—" : p.PublicServiceNumber),
                    new FeeReceiptLine("Գումար", "Amount", FormatAmount(p.Amount, p.Currency)),
                    new FeeReceiptLine("Պատվերի համար", "Order number", p.OrderNumber),
                    new FeeReceiptLine("Հաստատման կոդ", "Approval code", p.ApprovalCode ?? "—"),
                    new FeeReceiptLine("Քարտ", "Card", card),
                    new FeeReceiptLine("Վճարման եղանակ", "Payment method", p.Method?.ToString() ?? "—"),
                    new FeeReceiptLine("Ամսաթիվ", "Date", FormatTimestamp(p.PaidAt)),
                    new FeeReceiptLine("Ժամանակահատված", "Period", FormatDate(p.PeriodStart) + " – " + FormatDate(p.PeriodEnd)),
                    new FeeReceiptLine("Կարգավիճակ", "Status", "Վճարված / Paid"),
                };
                return lines;
            }
        }

        /// <summary>The receipt of <paramref name="payment"/>; ReceiptNotPaid unless it is Paid.</summary>
        public static FeeReceipt FromPayment(FeePayment payment)
        {
            if (payment is null)
            {
                throw new ArgumentNullException(nameof(payment));
            }

            if (payment.Status != FeePaymentStatus.Paid)
            {
                throw new EkengException(FeeErrors.ReceiptNotPaid, $"Order {payment.OrderNumber} is {payment.Status}, not Paid: there is no receipt for it.")
                {
                    TargetObject = payment,
                };
            }

            return new FeeReceipt(payment);
        }

        /// <summary>"3 000 AMD": the amount with a space between thousands, decimals only when there are any.</summary>
        public static string FormatAmount(decimal amount, string currency)
        {
            var format = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
            format.NumberGroupSeparator = " ";
            format.NumberDecimalSeparator = ".";
            string number = amount == decimal.Truncate(amount) ? amount.ToString("#,0", format) : amount.ToString("#,0.00", format);
            return number + " " + (string.IsNullOrWhiteSpace(currency) ? "AMD" : currency);
        }

        /// <summary>Yerevan time, e.g. "2026-11-27 07:40 (UTC+04:00)".</summary>
        public static string FormatTimestamp(DateTimeOffset? at) =>
            at is DateTimeOffset t ? t.ToOffset(YerevanOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (UTC+04:00)" : "—";

        public static string FormatDate(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        /// <summary>The text form: a title, then "Armenian / English: value" lines.</summary>
        public string ToText()
        {
            var text = new StringBuilder();
            text.Append(Title).Append('\n');
            text.Append(new string('=', Title.Length)).Append('\n');
            foreach (FeeReceiptLine line in Lines)
            {
                text.Append(line.ToString()).Append('\n');
            }

            return text.ToString();
        }

        public override string ToString() => ToText();

        /// <summary>
        /// Writes the PDF receipt to <paramref name="path"/> atomically (a temporary file in the same folder, then a rename:
        /// never a half-written file). An existing file is kept (ReceiptExists) unless <paramref name="force"/>.
        /// The font: EKENG_RECEIPT_FONT, else DejaVu Sans (Linux), Sylfaen (Windows), Arial Unicode (macOS).
        /// </summary>
        /// <returns>The full path written.</returns>
        public string WritePdf(string path, bool force = false)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("A path is required.", nameof(path));
            }

            string full = System.IO.Path.GetFullPath(path);
            if (!force && System.IO.File.Exists(full))
            {
                throw ReceiptFile.Exists(full);
            }

            ReceiptFonts fonts = ReceiptFonts.Find();
            byte[] pdf = RenderPdf(fonts);
            ReceiptFile.WriteAtomically(full, pdf, force);
            return full;
        }

        /// <summary>The PDF's bytes (no file).</summary>
        public byte[] ToPdf() => RenderPdf(ReceiptFonts.Find());

        // The only call into the PDFsharp code: no PdfSharp type is named here, so the module loads its DLLs on first use.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private byte[] RenderPdf(ReceiptFonts fonts) => FeeReceiptPdf.Render(this, fonts);
    }
}
