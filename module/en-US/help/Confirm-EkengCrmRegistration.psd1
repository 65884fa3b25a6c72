@{
    Synopsis    = 'Activates the certificate with the SMS code ("Activate the certificate" in the manual): the second step of a registration that Register-EkengCrm started, against a named service that speaks the modelled API.'
    Description = @'
Confirm-EkengCrmRegistration takes the CrmRegistration that Register-EkengCrm returned (Status PendingCode) from the pipeline, logs in with the card's authentication certificate over mutual TLS (as Register-EkengCrm) and sends the SMS code: 6 digits for a registration, 4 for register-and-pay (Register-EkengCrm -PayOnline). It returns the registration as it is now: Active (usable elsewhere 3 to 5 hours later, UsableFrom), or PendingPayment after register-and-pay, which Invoke-EkengFeePayment completes.

The code is checked before anything is sent (digits, its length: InvalidSmsCode costs no attempt). Without -SmsCode an interactive session asks for it (masked) after the login; a non-interactive one ends with SmsCodeRequired before any login. A wrong code is SmsCodeIncorrect (attempts left in the exception), a replaced one SmsCodeVoided, an old one SmsCodeExpired; Send-EkengCrmSmsCode asks for a new one. A holder not registered yet gets NoPendingCode; one registered already gets the registration back, and the code is not sent.

With no service named (no -CrmUri, no $env:EKENG_CRM_URI, no registration piped) the command ends with ServiceParameterWithoutService: on the real portal the holder types the code in the browser. -WhatIf says what would be done: no PIN used, no login, nothing sent. The SMS code and the PIN are SecureStrings end to end.
'@
    Parameters  = @{
        Registration  = 'The CrmRegistration Register-EkengCrm returned (pipeline input): it carries its certificate, address and trust.'
        SmsCode       = 'The code of the SMS, as a SecureString (6 digits; 4 when registering and paying). Without it an interactive session asks for it.'
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        CrmUri        = 'The https address of a service that speaks the modelled API (the sandbox). Default: $env:EKENG_CRM_URI. With neither the command ends with ServiceParameterWithoutService and sends nothing.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it; it is checked (digits, length) before use.'
    }
    Examples    = @(
        @{
            Code    = '$r = Get-EkengCard | Register-EkengCrm -PhoneNumber ''091 234567'' -AcceptTerms -Pin $pin -Confirm:$false; $r | Confirm-EkengCrmRegistration -SmsCode (Read-Host -AsSecureString ''SMS code'') -Pin $pin'
            Remarks = 'Scripted registration: the first call sends the SMS, the second activates the certificate with its code.'
        }
        @{
            Code    = '$r | Confirm-EkengCrmRegistration'
            Remarks = 'Interactive: asks for the AuthPIN and the SMS code (masked).'
        }
    )
    Outputs     = 'Ekeng.Crm.CrmRegistration'
    Links       = @('Register-EkengCrm', 'Send-EkengCrmSmsCode', 'Invoke-EkengFeePayment')
}
