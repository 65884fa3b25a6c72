@{
    Synopsis    = 'Registration in the EKENG customer system (crm.ekeng.am): by default checks the card and guides the holder through the real portal; with a named service that speaks the modelled API, registers over mutual TLS with the card.'
    Description = @'
Register-EkengCrm does the manual's second procedure.

Without a named service (no -CrmUri, no $env:EKENG_CRM_URI) the command serves the real EKENG, which publishes no API for this: it reads the card's authentication certificate (no PIN), checks what the portal login needs (the card, both PINs activated and not blocked, the certificate valid and its days left, on Windows the certificate in CurrentUser\My with its key, a browser that can use the card), and outputs a PortalGuide: the real page (https://crm.ekeng.am/), the checks, and the manual's remaining steps in Armenian or English ($PSUICulture, or -Language). It sends nothing anywhere and uses no PIN. In an interactive session it then opens the page in the default browser (-WhatIf shows it instead); non-interactive, the address is in the guide and the verbose stream. -PayOnline guides through the fourth procedure (register and pay in one step). The parameters that only a service takes (-PhoneNumber, -SmsCode, -AcceptTerms, -ResendSms, -NoWait, -Timeout, -ReceiptPath) end the command with ServiceParameterWithoutService: on the real portal the holder types them in the browser.

With a service named (-CrmUri, $env:EKENG_CRM_URI, or a registration piped back) that first answers, with no card login, that it speaks the API this module models (GET /.well-known/ekeng-contract; otherwise CrmContractNotSpoken before any PIN reaches the card), the command registers itself. It logs in to the EKENG customer system with the card's AUTHENTICATION certificate over mutual TLS: the private-key operation happens on the card (C_Sign after C_Login with the AuthPIN); the key is never exported. On Linux with PowerShell 7 this runs through OpenSSL's pkcs11 engine (Debian package libengine-pkcs11-openssl); on Windows through the certificate store's smart-card key, opened silently with the same AuthPIN (one PIN; the middleware's own PIN window does not ask again).

It registers the mobile number (checked as an Armenian mobile number before anything is sent), confirms the holder's data (shown by ShouldProcess: name, public service number (ՀԾՀ), masked phone) and accepts the contract terms (-AcceptTerms, or an interactive prompt showing them; non-interactive without -AcceptTerms fails with TermsNotAccepted and sends nothing). The SMS code is asked through the host (masked); scripts make two calls instead: the first returns a CrmRegistration with Status PendingCode, which piped back with -SmsCode finishes the registration. -ResendSms asks for a new code. A holder already registered gets the registration back, not an error.

Server certificates are always validated; a private CA (the sandbox's) is trusted only by naming its PEM with -TrustedCaFile, or with $env:EKENG_CA_FILE when the CRM's address is named too (-CrmUri or $env:EKENG_CRM_URI; otherwise EKENG_CA_FILE is left out with a warning), and only for the CRM's host. Redirects are never followed and an answer over 1 MiB is refused (CrmResponseTooLarge). The wire contract is the module's own, modelled on the manual (docs/WIRE-CONTRACT.md): EKENG publishes none, and the project's sandbox speaks it for practice and tests.

-Portal guides through the real portal even when a service is named.

The PIN and the SMS code are SecureStrings end to end: never in a string, a log, a message or a command line.
'@
    Parameters  = @{
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        Registration  = 'A CrmRegistration this command returned with Status PendingCode (pipeline input), to finish with -SmsCode or -ResendSms.'
        PhoneNumber   = 'The holder''s Armenian mobile number: ''091 234567'', ''+374 91 234567'' or ''91234567''. Checked before anything is sent.'
        SmsCode       = 'The code of the SMS, as a SecureString (6 digits to register). Without it an interactive session asks for it.'
        AcceptTerms   = 'Accepts the contract terms without showing them (needed in non-interactive sessions).'
        ResendSms     = 'Asks for a new SMS code; the old one becomes void. The service limits how often (ResendTooSoon with the wait).'
        PayOnline     = 'Registers and pays in one step (the manual''s fourth procedure): a 4-digit SMS code, then the annual fee online as Invoke-EkengFeePayment does; afterwards the registration is Active without the 6-digit step and the period is extended. Outputs the registration (or the pending FeePayment with -NoWait or at the timeout).'
        NoWait        = 'With -PayOnline: outputs the pending FeePayment with its PaymentUrl at once (no browser, no wait).'
        Timeout       = 'With -PayOnline: how long to wait for the payment, as a TimeSpan; default 15 minutes.'
        ReceiptPath   = 'With -PayOnline: a path for the PDF receipt, written once paid. An existing file is refused (ReceiptExists) before anything is sent.'
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
            Code    = '$env:EKENG_CRM_URI = ''https://127.0.0.1:5443/''; Get-EkengCard | Register-EkengCrm -PhoneNumber ''091 234567'' -PayOnline -ReceiptPath ./receipt.pdf'
            Remarks = 'Against the sandbox (a service that speaks the modelled API): registers and pays in one step: asks for the AuthPIN and the 4-digit SMS code, opens the bank''s page, waits for the payment; the registration is then Active.'
        }
        @{
            Code    = 'Get-EkengCard | Register-EkengCrm -PhoneNumber ''091 234567'''
            Remarks = 'Interactive: shows the holder data and the terms, asks for the AuthPIN and the SMS code, returns the Active registration.'
        }
        @{
            Code    = '$r = Get-EkengCard | Register-EkengCrm -PhoneNumber ''091 234567'' -AcceptTerms -Pin $pin -Confirm:$false; $r | Register-EkengCrm -SmsCode (Read-Host -AsSecureString ''SMS code'') -Pin $pin'
            Remarks = 'Scripted, two calls: the first returns Status PendingCode, the second finishes with the SMS code.'
        }
        @{
            Code    = '$r | Register-EkengCrm -ResendSms -Pin $pin'
            Remarks = 'Asks for a new SMS code when none came.'
        }
    )
    Outputs     = 'Ekeng.Portal.PortalGuide (no service named), Ekeng.Crm.CrmRegistration, Ekeng.Payments.FeePayment'
    Links       = @('Get-EkengCrmRegistration', 'Get-EkengCertificate', 'Initialize-EkengPin')
}
