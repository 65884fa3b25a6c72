@{
    Synopsis    = 'Asks EKENG to send a new SMS code for a registration waiting for one (the manual''s "resend"); the old code becomes void.'
    Description = @'
Send-EkengCrmSmsCode takes the CrmRegistration that Register-EkengCrm returned (Status PendingCode) from the pipeline, logs in with the card's authentication certificate over mutual TLS and asks the service for a new SMS code. The old code becomes void (SmsCodeVoided if it is sent afterwards). The service limits how often: ResendTooSoon, with the wait. It returns the registration (PendingCode, with the new code's length, expiry and attempts). A holder not registered yet gets NoPendingCode; one registered already gets the registration back and no SMS is sent.

With no service named the command ends with ServiceParameterWithoutService: on the real portal the holder presses "resend" in the browser. -WhatIf: no PIN, no login, nothing sent.
'@
    Parameters  = @{
        Registration  = 'The CrmRegistration Register-EkengCrm returned (pipeline input).'
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        CrmUri        = 'The https address of a service that speaks the modelled API (the sandbox). Default: $env:EKENG_CRM_URI. With neither the command ends with ServiceParameterWithoutService and sends nothing.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it; it is checked (digits, length) before use.'
    }
    Examples    = @(
        @{
            Code    = '$r = $r | Send-EkengCrmSmsCode -Pin $pin'
            Remarks = 'No SMS came: a new code is sent; then $r | Confirm-EkengCrmRegistration -SmsCode ...'
        }
    )
    Outputs     = 'Ekeng.Crm.CrmRegistration'
    Links       = @('Register-EkengCrm', 'Confirm-EkengCrmRegistration')
}
