@{
    Synopsis    = 'Reads the card holder''s registration in the EKENG customer system (CRM), logging in with the card''s authentication key.'
    Description = @'
Get-EkengCrmRegistration logs in to the EKENG customer system with the card's authentication certificate over mutual TLS (the key stays on the card; see Register-EkengCrm) and returns the holder's CrmRegistration: HolderName, PublicServiceNumber, Phone (masked but for the last 2 digits), Status (NotRegistered, PendingCode, PendingPayment, Active), TermsVersion, ActivatedAt, UsableFrom (other systems accept the certificate 3-5 hours after activation) and, for a pending code, its length, expiry and attempts left.

-Terms returns the contract terms (version and text) instead.

The service, trust and PIN work as for Register-EkengCrm: -CrmUri or $env:EKENG_CRM_URI (default https://crm.ekeng.am/), -TrustedCaFile or $env:EKENG_CA_FILE (never validation turned off), -Pin or a prompt.
'@
    Parameters  = @{
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        Registration  = 'A CrmRegistration returned earlier (pipeline input), to read again.'
        Terms         = 'Returns the contract terms (version and text) instead of the registration.'
        CrmUri        = 'The CRM''s https address. Default: $env:EKENG_CRM_URI, else https://crm.ekeng.am/.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Get-EkengCrmRegistration'
            Remarks = 'Shows the registration status of the card''s holder.'
        }
        @{
            Code    = '(Get-EkengCard | Get-EkengCrmRegistration -Terms -Pin $pin).Text'
            Remarks = 'Prints the contract terms before registering with -AcceptTerms.'
        }
    )
    Outputs     = 'Ekeng.Crm.CrmRegistration'
    Links       = @('Register-EkengCrm', 'Get-EkengCard')
}
