@{
    Synopsis    = 'The holder''s annual fee orders: by default where to see them on the real portal; from a named service that speaks the modelled API, one FeePayment per attempt (newest first). It only reads: Save-EkengFeeReceipt writes a receipt.'
    Description = @'
Without a named service (no -CrmUri, no $env:EKENG_CRM_URI) payments and receipts are shown on the real https://crm.ekeng.am/ after the card login there: the command outputs a PortalGuide (the checks it made on the card with no PIN, the page, the steps, in Armenian or English: -Language or $PSUICulture), opens nothing and sends nothing. -OrderNumber goes to a service only (ServiceParameterWithoutService).

With a named service that first proves it speaks the modelled API (CrmContractNotSpoken otherwise, before any PIN reaches the card):
Get-EkengFeePayment logs in to EKENG with the card's authentication certificate over mutual TLS (as Register-EkengCrm) and returns the holder's fee orders, one FeePayment per attempt, newest first: OrderNumber, Amount, Currency, Status (Pending, Paid, Declined, Expired, Reversed, Refunded), ActionCode, Method, MaskedPan, ApprovalCode, PaidAt, PaidUntil and PaymentUrl. EKENG asks the bank for the status of pending orders before it answers, so a pending order shows what the bank knows now. When the holder's paid period (as EKENG gives it now, not an old order's) ends within 30 days or has ended, a warning names its date and the days left.

-OrderNumber returns one order. The command only reads: it writes no file (Save-EkengFeeReceipt writes the PDF receipt of a paid order piped to it). $payment.Receipt() gives the text receipt.

Service, trust and PIN as for Register-EkengCrm.
'@
    Parameters  = @{
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        Registration  = 'A CrmRegistration returned by Register-EkengCrm or Get-EkengCrmRegistration (pipeline input).'
        OrderNumber   = 'One order by its number (F<ՀԾՀ><yyyyMMdd>-<attempt>).'
        CrmUri        = 'The https address of a service that speaks the modelled API (the sandbox). Default: $env:EKENG_CRM_URI; with neither, the real portal is named in a PortalGuide and no request is sent.'
        Language      = 'The language of the guide''s steps: hy (Armenian) or en (English). Default: $PSUICulture.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Get-EkengFeePayment'
            Remarks = 'Lists every fee order of the card''s holder, newest first.'
        }
        @{
            Code    = 'Get-EkengCard | Get-EkengFeePayment | Where-Object Status -EQ Paid | Select-Object -First 1 | Save-EkengFeeReceipt -Path ./receipt.pdf'
            Remarks = 'Writes the receipt of the newest paid order again (a reprint).'
        }
    )
    Outputs     = 'Ekeng.Portal.PortalGuide (no service named), Ekeng.Payments.FeePayment'
    Links       = @('Invoke-EkengFeePayment', 'Save-EkengFeeReceipt', 'Register-EkengCrm')
}
