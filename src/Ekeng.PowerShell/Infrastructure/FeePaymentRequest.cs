using System;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>How a command wants the fee paid: the parameters Invoke-EkengFeePayment and Register-EkengCrm -PayOnline share.</summary>
    public sealed class FeePaymentRequest
    {
        /// <summary>The payment page's language: hy, ru or en.</summary>
        public string Language { get; set; } = "hy";

        /// <summary>Pays the period after the paid one (-NextPeriod; asked every time unless -Confirm:$false).</summary>
        public bool NextPeriod { get; set; }

        /// <summary>Outputs the pending payment with its PaymentUrl at once, without opening a browser or waiting.</summary>
        public bool NoWait { get; set; }

        /// <summary>How long to wait for the holder on the bank's page.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

        /// <summary>The full path of the PDF receipt to write once paid, or null.</summary>
        public string? ReceiptPath { get; set; }

        /// <summary>Replaces an existing receipt file (-Force).</summary>
        public bool OverwriteReceipt { get; set; }

        /// <summary>The quote the holder confirmed (set by the payment flow): the order and the Paid answer are checked against it.</summary>
        public Ekeng.Payments.FeeQuote? Quote { get; set; }

        /// <summary>The order this run created or resumed (set by the payment flow): a Paid answer must be about it.</summary>
        public string? OrderNumber { get; set; }

        /// <summary>The pause between two status checks while waiting.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    }
}
