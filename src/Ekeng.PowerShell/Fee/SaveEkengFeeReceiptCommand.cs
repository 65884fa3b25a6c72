using Ekeng.Payments;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes the PDF receipt (Armenian and English) of a paid fee order that Get-EkengFeePayment or Invoke-EkengFeePayment returned; an existing file is left alone unless -Force, and no half-written file is ever left.</para>
    /// </summary>
    [Cmdlet(VerbsData.Save, "EkengFeeReceipt", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveEkengFeeReceiptCommand : EkengCmdlet
    {
        /// <summary>The paid order (Get-EkengFeePayment, Invoke-EkengFeePayment).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public FeePayment? Payment { get; set; }

        /// <summary>The PDF file to write; an existing folder receives &lt;OrderNumber&gt;.pdf.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Replaces an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            FeePayment payment = Payment!;
            try
            {
                // Said before the question: an unpaid order has no receipt, an existing file is not replaced without -Force.
                FeeReceiptTarget.RequirePaid(payment);
                string full = FeeReceiptTarget.Resolve(this, Path!, payment.OrderNumber, Force, nameof(Path));

                if (ShouldProcessOrExplain(full, $"Write the receipt of order {payment.OrderNumber}"))
                {
                    string written = FeeReceiptTarget.Write(payment, full, Force);
                    WriteVerbose($"Receipt of order {payment.OrderNumber} written to {written}.");
                    WriteObject(new FileInfo(written));
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, e.TargetObject ?? payment.OrderNumber);
            }
        }
    }
}
