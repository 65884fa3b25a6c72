@{
    Synopsis    = 'The holder''s registration in the EKENG customer system: by default where to see it on the real portal; from a named service that speaks the modelled API, read with the card login.'
    Description = @'
Without a named service (no -CrmUri, no $env:EKENG_CRM_URI) the registration is shown on the real https://crm.ekeng.am/ after the card login there, and this command outputs a PortalGuide: the checks it made on the card (no PIN), the page and the steps, in Armenian or English ($PSUICulture, or -Language). It opens nothing and sends nothing.

With a named service that first proves it speaks the modelled API (CrmContractNotSpoken otherwise, before any PIN reaches the card), Get-EkengCrmRegistration logs in to the EKENG customer system with the card's authentication certificate over mutual TLS (the key stays on the card; see Register-EkengCrm) and returns the holder's CrmRegistration: HolderName, PublicServiceNumber, Phone (masked but for the last 2 digits), Status (NotRegistered, PendingCode, PendingPayment, Active), TermsVersion, ActivatedAt, UsableFrom (other systems accept the certificate 3-5 hours after activation) and, for a pending code, its length, expiry and attempts left.

The contract terms are read by Get-EkengCrmTerms.

The service, trust and PIN work as for Register-EkengCrm: -CrmUri or $env:EKENG_CRM_URI, -TrustedCaFile or $env:EKENG_CA_FILE (never validation turned off), -Pin or a prompt.
'@
    Parameters  = @{
        Card          = 'The card (Get-EkengCard, pipeline input). Without card, certificate or registration: the one card present.'
        Certificate   = 'The card''s authentication certificate (Get-EkengCertificate -Kind Auth, pipeline input).'
        Registration  = 'A CrmRegistration returned earlier (pipeline input), to read again.'
        CrmUri        = 'The https address of a service that speaks the modelled API (the sandbox). Default: $env:EKENG_CRM_URI; with neither, the real portal is named in a PortalGuide and no request is sent.'
        Language      = 'The language of the guide''s steps: hy (Armenian) or en (English). Default: $PSUICulture.'
        TrustedCaFile = 'A PEM file whose CA certificates are the ONLY roots trusted for the CRM''s host (every other host keeps the system''s roots). Default: $env:EKENG_CA_FILE when the CRM''s address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system''s roots.'
        Pin           = 'The AuthPIN as a SecureString. Without it an interactive session asks for it.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Get-EkengCrmRegistration'
            Remarks = 'The real EKENG: a PortalGuide naming https://crm.ekeng.am/, where the holder sees the registration after the card login. Against the sandbox (-CrmUri or $env:EKENG_CRM_URI): the registration itself.'
        }
        @{
            Code    = '$r | Get-EkengCrmRegistration'
            Remarks = 'Reads a registration again (after Confirm-EkengCrmRegistration: Active, ActivatedAt, UsableFrom).'
        }
    )
    Outputs     = 'Ekeng.Portal.PortalGuide (no service named), Ekeng.Crm.CrmRegistration, Ekeng.Crm.CrmTerms'
    Links       = @('Register-EkengCrm', 'Get-EkengCard')
}
