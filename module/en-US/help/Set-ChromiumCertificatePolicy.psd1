@{
    Synopsis    = 'Makes Chromium, Chrome and Edge pick the card''s certificate for the EKENG portal without a dialog (the AutoSelectCertificateForUrls policy).'
    Description = @'
Set-ChromiumCertificatePolicy adds one entry to the AutoSelectCertificateForUrls policy of each browser: {"pattern":"https://crm.ekeng.am","filter":{"ISSUER":{"CN":"<issuer CN>"}}}. The browser then answers the portal's certificate request with the certificate issued by that CA, without asking.

Linux: the entry goes into the module's own file, ekeng-powershell.json, in the browser's managed policy folder (/etc/chromium/policies/managed, /etc/opt/chrome/policies/managed, /etc/opt/edge/policies/managed; the folder is created when missing). Every other policy in that file and every other entry of the list are kept; the file is strict JSON, 0644, written atomically through the folder resolved once. A file there that is not JSON is refused with PolicyJsonInvalid and not touched; another file of the folder that also sets the policy is named in the result's Message (the browser reports a conflict between files). Windows: HKLM (default) or HKCU \SOFTWARE\Policies\Google\Chrome, \Microsoft\Edge or \Chromium, sub-key AutoSelectCertificateForUrls, values "1", "2", ... renumbered without gaps.

Each browser gives one ChromiumCertificatePolicy (Browser, Target, Url, IssuerCommonName, Status: Added, Updated or AlreadyPresent, Message). A browser whose policy cannot be written (PolicyWriteFailed: run as root or administrator) gives an error; the others are still written.
'@
    Parameters  = @{
        IssuerCommonName = 'The common name of the card certificates'' issuer (the card CA).'
        Url              = 'The URL pattern. Default: https://crm.ekeng.am. Only https:// is accepted (PolicyValueInvalid).'
        Browser          = 'Chromium, Chrome, Edge (default: all three).'
        RegistryHive     = 'Windows: LocalMachine (default) or CurrentUser.'
        PolicyFolder     = 'Linux: a managed policy folder to use instead of the browser''s (with one -Browser).'
    }
    Examples    = @(
        @{
            Code    = '$ca = (Get-EkengCertificate Auth).Certificate.GetNameInfo(''SimpleName'', $true); Set-ChromiumCertificatePolicy -IssuerCommonName $ca'
            Remarks = 'Takes the issuer CN from the card''s authentication certificate and sets the policy of all three browsers.'
        }
        @{
            Code    = 'Set-ChromiumCertificatePolicy -IssuerCommonName ''Citizen CA'' -Browser Edge -RegistryHive CurrentUser -WhatIf'
            Remarks = 'Shows the registry change for the current user''s Edge without making it.'
        }
    )
    Outputs     = 'Ekeng.Chromium.ChromiumCertificatePolicy'
    Links       = @('Remove-ChromiumCertificatePolicy', 'Test-EkengSetup', 'Set-FirefoxCryptoModule')
}
