using Ekeng.Payments;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// Where a fee receipt goes (Save-EkengFeeReceipt -Path, Invoke-EkengFeePayment -ReceiptPath): the full path, checked
    /// before anything is written or paid (an existing file without -Force: ReceiptExists), and the write itself, through
    /// <see cref="FeeReceipt.WritePdf"/> (a temporary file fsynced and renamed: never a half-written receipt).
    /// </summary>
    internal static class FeeReceiptTarget
    {
        /// <summary>
        /// The receipt's full path: a folder names the file after the order (&lt;OrderNumber&gt;.pdf); an existing file
        /// is refused unless <paramref name="overwrite"/> (-Force).
        /// </summary>
        public static string Resolve(PSCmdlet cmdlet, string path, string? orderNumber, bool overwrite, string parameterName)
        {
            string full = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
            if (orderNumber != null && Directory.Exists(full))
            {
                full = Path.Combine(full, orderNumber + ".pdf");
            }

            if ((File.Exists(full) && !overwrite) || Directory.Exists(full))
            {
                throw new EkengException(FeeErrors.ReceiptExists, $"The receipt file '{full}' exists; it is left as it is. Nothing was written or sent.")
                {
                    RecommendedAction = $"Name another -{parameterName}, or add -Force to replace the file.",
                    TargetObject = full,
                };
            }

            return full;
        }

        /// <summary>The receipt of a paid order (the gateway shows it deposited) written to <paramref name="fullPath"/>; ReceiptNotPaid otherwise.</summary>
        public static string Write(FeePayment payment, string fullPath, bool overwrite)
        {
            RequirePaid(payment);
            FeeOrderCheck.RequireConfirmedPaid(payment, null, null, null);
            return FeeReceipt.FromPayment(payment).WritePdf(fullPath, force: overwrite);
        }

        /// <summary>Only a paid order has a receipt: ReceiptNotPaid otherwise.</summary>
        public static void RequirePaid(FeePayment payment)
        {
            if (payment.Status != FeePaymentStatus.Paid)
            {
                throw new EkengException(FeeErrors.ReceiptNotPaid, $"Order {payment.OrderNumber} is {payment.Status}, not Paid: there is no receipt for it.")
                {
                    TargetObject = payment.OrderNumber,
                };
            }
        }
    }
}
