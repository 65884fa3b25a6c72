@{
    Synopsis    = 'Starts the registration in the EKENG customer system (crm.ekeng.am): by default checks the card and guides the holder through the real portal; with a named service that speaks the modelled API, registers the phone and accepts the terms over mutual TLS with the card, and EKENG sends the SMS code.'
    Description = @'
Register-EkengCrm starts the manual's second procedure (and, with -PayOnline, the fourth). One action per command: Register-EkengCrm registers the phone and accepts the terms, Confirm-EkengCrmRegistration activates the certificate with the SMS code, Send-EkengCrmSmsCode asks for a new code, Get-EkengCrmTerms shows the terms, Invoke-EkengFeePayment pays.

Without a named service (no -CrmUri, no $env:EKENG_CRM_URI) the command serves the real EKENG, which publishes no API for this: it reads the card's authentication certificate (no PIN), checks what the portal login needs (the card, both PINs activated and not blocked, the certificate valid and its days left, on Windows the certificate in CurrentUser\My with its key, a browser that can use the card), and outputs a PortalGuide: the real page (https://crm.ekeng.am/), the checks, and the manual's remaining steps in Armenian or English ($PSUICulture, or -Language). It sends nothing anywhere and uses no PIN. In an interactive session it then opens the page in the default browser (-WhatIf shows it instead); non-interactive, the address is in the guide and the verbose stream. -PayOnline guides through the fourth procedure (register and pay in one step). The parameters that only a service takes (-PhoneNumber, -AcceptTerms) end the command with ServiceParameterWithoutService: on the real portal the holder types them in the browser.

With a service named (-CrmUri, $env:EKENG_CRM_URI, or a registration piped back) that first answers, with no card login, that it speaks the API this module models (GET /.well-known/ekeng-contract; otherwise CrmContractNotSpoken before any PIN reaches the card), the command starts the registration itself. It logs in to the EKENG customer system with the card's AUTHENTICATION certificate over mutual TLS: the private-key operation happens on the card (C_Sign after C_Login with the AuthPIN); the key is never exported. On Linux with PowerShell 7 this runs through OpenSSL's pkcs11 engine (Debian package libengine-pkcs11-openssl); on Windows through the certificate store's smart-card key, opened silently with the same AuthPIN (one PIN; the middleware's own PIN window does not ask again).

It registers the mobile number (checked as an Armenian mobile number before anything is sent), confirms the holder's data (shown by ShouldProcess: name, public service number (ՀԾՀ), masked phone) and accepts the contract terms (-AcceptTerms, or an interactive prompt showing them; non-interactive without -AcceptTerms fails with TermsNotAccepted and sends nothing). It returns the CrmRegistration with Status PendingCode: EKENG has sent the SMS code (6 digits; 4 with -PayOnline), and piping the registration to Confirm-EkengCrmRegistration activates the certificate with it (Send-EkengCrmSmsCode when none came). -PayOnline registers for register-and-pay: after the 4-digit code the registration is PendingPayment and Invoke-EkengFeePayment pays the fee, which makes it Active. A holder already registered gets the registration back, not an error. -WhatIf says what would be done: no PIN used, no login, nothing sent.

Server certificates are always validated; a private CA (the sandbox's) is trusted only by naming its PEM with -TrustedCaFile, or with $env:EKENG_CA_FILE when the CRM's address is named too (-CrmUri or $env:EKENG_CRM_URI; otherwise EKENG_CA_FILE is left out with a warning), and only for the CRM's host. Redirects are never followed and an answer over 1 MiB is refused (CrmResponseTooLarge). The wire contract is the module's own, modelled on the manual (docs/WIRE-CONTRACT.md): EKENG publishes none, and the project's sandbox speaks it for practice and tests.

-Portal guides through the real portal even when a service is named.

The PIN is a SecureString end to end: never in a string, a log, a message or a command line.
'@
    Parameters  = @{
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        Registration  = 'A CrmRegistration returned earlier (pipeline input): read again, nothing changed.'
        PhoneNumber   = 'The holder''s Armenian mobile number: ''091 234567'', ''+374 91 234567'' or ''91234567''. Checked before anything is sent.'
        AcceptTerms   = 'Accepts the contract terms (Get-EkengCrmTerms shows them) without showing them (needed in non-interactive sessions).'
        PayOnline     = 'Registers and pays (the manual''s fourth procedure): a 4-digit SMS code for Confirm-EkengCrmRegistration, then Invoke-EkengFeePayment; no separate 6-digit activation. With no service named: the guide of that procedure.'
        Portal        = 'The real portal, guided, even when a service is named (without one, that is what the command does anyway). The parameters only a service takes do not go with it (ServiceParameterWithoutService).'
        Language      = 'The language of the guide''s steps: hy (Armenian) or en (English). Default: $PSUICulture (hy-AM gives Armenian).'
        CrmUri        = 'The https address of a service that speaks the modelled API (the sandbox). Default: $env:EKENG_CRM_URI; with neither, the real crm.ekeng.am is served, guided, and no request is sent.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (e.g. the sandbox''s sandbox-ca.pem; every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it; it is checked (digits, length) before use.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Register-EkengCrm'
            Remarks = 'The real EKENG: checks the card, both PINs, the certificate and the browser, opens https://crm.ekeng.am/ and outputs the steps left (phone, data check, terms, SMS code, "activate the certificate"). Nothing is sent; no PIN is used.'
        }
        @{
            Code    = 'Get-EkengCard | Register-EkengCrm -PayOnline -Language hy'
            Remarks = 'The same for register-and-pay in one step, with the steps in Armenian.'
        }
        @{
            Code    = '$r = Get-EkengCard | Register-EkengCrm -PhoneNumber ''091 234567'' -AcceptTerms -Pin $pin -Confirm:$false; $r | Confirm-EkengCrmRegistration -SmsCode (Read-Host -AsSecureString ''SMS code'') -Pin $pin'
            Remarks = 'Against a service that speaks the modelled API (the sandbox): the first call sends the SMS (Status PendingCode), the second activates the certificate with its code.'
        }
        @{
            Code    = '$r = Get-EkengCard | Register-EkengCrm -PhoneNumber ''091 234567'' -AcceptTerms -PayOnline -Pin $pin -Confirm:$false; $r = $r | Confirm-EkengCrmRegistration -Pin $pin; $r | Invoke-EkengFeePayment -Pin $pin -ReceiptPath ./receipt.pdf'
            Remarks = 'Register and pay: a 4-digit SMS code (asked), then the fee on the bank''s page; the registration is then Active.'
        }
    )
    Outputs     = 'Ekeng.Portal.PortalGuide (no service named), Ekeng.Crm.CrmRegistration'
    Links       = @('Confirm-EkengCrmRegistration', 'Send-EkengCrmSmsCode', 'Get-EkengCrmTerms', 'Get-EkengCrmRegistration', 'Invoke-EkengFeePayment')
}
