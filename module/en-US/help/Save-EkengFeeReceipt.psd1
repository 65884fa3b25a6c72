@{
    Synopsis    = 'Writes the PDF receipt (Armenian and English) of a paid annual fee order that Get-EkengFeePayment or Invoke-EkengFeePayment returned.'
    Description = @'
Save-EkengFeeReceipt takes FeePayment objects from the pipeline and writes the receipt of each paid one: payer, ՀԾՀ, amount, order number, approval code, masked card, date and period. It needs no card, PIN or service: the order carries what the receipt shows. It returns the file written (FileInfo).

Only a paid order has a receipt: one that is not Paid gives ReceiptNotPaid, one the bank does not show deposited (orderStatus 2) PaymentNotConfirmed. An existing file is left as it is (ReceiptExists, nothing written) unless -Force; a -Path that is a folder receives <OrderNumber>.pdf. The file is written to a temporary file in the same folder, flushed to disk and renamed over the target: a failure never leaves a half-written receipt, and a link is never written through. -WhatIf says what would be written; -Confirm asks first.
'@
    Parameters  = @{
        Payment = 'The paid FeePayment (pipeline input, from Get-EkengFeePayment or Invoke-EkengFeePayment).'
        Path    = 'The PDF file to write; a folder receives <OrderNumber>.pdf.'
        Force   = 'Replaces an existing file.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Get-EkengFeePayment | Where-Object Status -EQ Paid | Select-Object -First 1 | Save-EkengFeeReceipt -Path ./receipt.pdf'
            Remarks = 'Writes the receipt of the newest paid order (a reprint).'
        }
        @{
            Code    = 'Get-EkengCard | Get-EkengFeePayment | Where-Object Status -EQ Paid | Save-EkengFeeReceipt -Path ./receipts'
            Remarks = 'Every paid order''s receipt into the folder ./receipts, one <OrderNumber>.pdf each.'
        }
    )
    Outputs     = 'System.IO.FileInfo'
    Links       = @('Get-EkengFeePayment', 'Invoke-EkengFeePayment')
}
