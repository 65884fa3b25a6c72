@{
    Synopsis    = 'The annual e-signature fee online (ArCa, Visa, MasterCard): by default checks the card and guides the holder through the real portal and the bank''s page; with a named service that speaks the modelled API, pays with the card login, waits and writes the receipt.'
    Description = @'
Invoke-EkengFeePayment does the manual's third procedure.

Without a named service (no -CrmUri, no $env:EKENG_CRM_URI) the command serves the real EKENG, which publishes no API for this: it reads the card's authentication certificate (no PIN), checks what the portal login needs (card, both PINs, the certificate, on Windows the certificate store, a browser that can use the card), opens https://crm.ekeng.am/ in the default browser when the session is interactive, and outputs a PortalGuide with the manual's remaining steps (log in with the card, choose ArCa, Visa or MasterCard, type the card data on the bank's page, print the receipt) and EKENG's how-to-pay page, in Armenian or English (-Language hy or en; else $PSUICulture). Nothing is sent; no PIN is used. -NextPeriod, -NoWait, -Timeout, -ReceiptPath and -Force go to a service only (ServiceParameterWithoutService).

With a named service that first proves it speaks the modelled API (CrmContractNotSpoken otherwise, before any PIN reaches the card), it logs in to EKENG with the card's AUTHENTICATION certificate over mutual TLS (as Register-EkengCrm; the key stays on the card), reads the fee and the period from EKENG (GET /api/v1/fee: the amount comes from the service, never from the module) and creates the fee order, or resumes the holder's unfinished order of the same period: an order is never duplicated, and a run after a crash or a lost connection asks the status first and finds it. ShouldProcess shows "Pay 3 000 AMD for <period> as <holder>".

The holder types the card number, name, expiry and CVC2 on the BANK's page only: the module opens it in the default browser (interactive sessions; xdg-open, open or start) and waits, with Write-Progress, until the order is Paid, Declined or Expired (or Mismatch: PaymentNotConfirmed), or until -Timeout seconds (default 900, 15 minutes; then a warning and the pending FeePayment, whose PaymentUrl stays valid: run the command again to resume). A non-interactive session never opens a browser: it waits for the payment made elsewhere (or use -NoWait). -NoWait outputs the pending FeePayment with its PaymentUrl at once, for a helpdesk that hands the link on. The module never asks for, stores or logs a card number or a CVC2: its only card datum is the masked number the bank reports (408306**1818).

Paid means the bank's orderStatus 2 (a hold, 1, is not paid) with the quoted amount and currency for this order number, never an HTTP 200, a status word or a return page alone; otherwise PaymentNotConfirmed and no receipt. Before anything is opened or handed on, the order must match the confirmed quote (amount, currency, period: else PaymentOrderMismatch) and its page must be https on EKENG's host or the named gateway (ipay.arca.am: else PaymentUrlRefused). A declined card is the error PaymentDeclined with the bank's actionCode and its description (e.g. 116 insufficient funds); it is not retried. An order whose page session ran out is PaymentExpired. An already paid period is said (a warning with the date it is paid until), nothing is charged and the paid FeePayment is output; when that period, or the one just paid, ends within 30 days, a second warning names its date and the days left; -NextPeriod pays the next period on purpose: it is asked every time (a non-interactive session needs -Confirm:$false, else ConfirmationRequired) and never implied by -Force. -WhatIf says what would be done without asking or using the PIN: no card login, nothing sent.

-ReceiptPath writes the PDF receipt (Armenian and English: payer, ՀԾՀ, amount, order number, approval code, masked card, date, period). An existing file is refused with ReceiptExists before anything is sent, unless -Force (which only means: replace the receipt file). A FeePayment also formats as a text receipt: $payment.Receipt().

Service, trust and PIN as for Register-EkengCrm: -CrmUri or $env:EKENG_CRM_URI, -TrustedCaFile or $env:EKENG_CA_FILE, -Pin (the AuthPIN) or a prompt. Readers without a card are passed over.
'@
    Parameters  = @{
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        Registration  = 'A CrmRegistration returned by Register-EkengCrm or Get-EkengCrmRegistration (pipeline input): its certificate, address and trust are used.'
        NextPeriod    = 'Pays the NEXT period although the current one is paid: asked every time (ConfirmImpact High); a non-interactive session needs -Confirm:$false. Without it a paid period is said and nothing is charged.'
        Force         = 'Replaces an existing -ReceiptPath file. It never pays anything (see -NextPeriod).'
        NoWait        = 'Outputs the pending FeePayment with its PaymentUrl at once: no browser is opened and nothing is awaited.'
        Timeout       = 'How long to wait for the payment, in seconds (1 to 86400, as -Timeout of Get-EkengCard); default 900 (15 minutes). At the timeout: a warning and the pending FeePayment.'
        ReceiptPath   = 'A path for the PDF receipt, written once the order is Paid (as Save-EkengFeeReceipt writes it). An existing file is refused (ReceiptExists) before anything is sent, unless -Force.'
        Language      = 'The language of the bank''s payment page: hy (default), ru or en; without a named service, of the guide''s steps (hy, else English; default $PSUICulture).'
        CrmUri        = 'The https address of a service that speaks the modelled API (the sandbox). Default: $env:EKENG_CRM_URI; with neither, the real portal is served, guided, and no request is sent.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Invoke-EkengFeePayment -ReceiptPath ~/ekeng-receipt.pdf'
            Remarks = 'Asks for the AuthPIN, shows the fee and the period, opens the bank''s page, waits until it is paid and writes the receipt.'
        }
        @{
            Code    = '$p = Get-EkengCard | Invoke-EkengFeePayment -NoWait -Pin $pin -Confirm:$false; $p.PaymentUrl'
            Remarks = 'Creates (or resumes) the order and hands on the link to the bank''s page, without waiting.'
        }
        @{
            Code    = 'Get-EkengCard | Invoke-EkengFeePayment -NextPeriod'
            Remarks = 'Pays the next period although the current one is paid (asks first).'
        }
    )
    Outputs     = 'Ekeng.Portal.PortalGuide (no service named), Ekeng.Payments.FeePayment'
    Links       = @('Get-EkengFeePayment', 'Save-EkengFeeReceipt', 'Register-EkengCrm', 'Confirm-EkengCrmRegistration')
}
