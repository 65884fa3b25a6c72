@{
    Synopsis    = 'The contract terms of the EKENG customer system (version and text) that Register-EkengCrm -AcceptTerms accepts, read from a named service that speaks the modelled API.'
    Description = @'
Get-EkengCrmTerms logs in with the card's authentication certificate over mutual TLS (as Register-EkengCrm) and returns the terms as a CrmTerms: Version and Text. Read them before a scripted registration with -AcceptTerms; an interactive Register-EkengCrm shows them itself and asks.

With no service named the command ends with ServiceParameterWithoutService: on the real portal the terms are shown in the browser during the registration.
'@
    Parameters  = @{
        Registration  = 'A CrmRegistration returned earlier (pipeline input): its certificate, address and trust are used.'
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        CrmUri        = 'The https address of a service that speaks the modelled API (the sandbox). Default: $env:EKENG_CRM_URI. With neither the command ends with ServiceParameterWithoutService and sends nothing.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it; it is checked (digits, length) before use.'
    }
    Examples    = @(
        @{
            Code    = '(Get-EkengCard | Get-EkengCrmTerms -Pin $pin).Text'
            Remarks = 'Prints the contract terms before registering with -AcceptTerms.'
        }
    )
    Outputs     = 'Ekeng.Crm.CrmTerms'
    Links       = @('Register-EkengCrm')
}
