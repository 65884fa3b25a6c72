@{
    Synopsis    = 'Removes the AutoSelectCertificateForUrls entry for the EKENG portal from Chromium, Chrome and Edge''s policy.'
    Description = @'
Remove-ChromiumCertificatePolicy removes the entries whose pattern is the portal's URL from each browser's AutoSelectCertificateForUrls policy (the module's managed JSON file on Linux, the registry list on Windows). Other entries and other policies are kept; on Linux the module's file is removed when nothing else is left in it; on Windows the list's values are renumbered without gaps.

Each browser gives one ChromiumCertificatePolicy with Status Removed or NotPresent.
'@
    Parameters  = @{
        Url          = 'The URL pattern. Default: https://crm.ekeng.am.'
        Browser      = 'Chromium, Chrome, Edge (default: all three).'
        RegistryHive = 'Windows: LocalMachine (default) or CurrentUser.'
        PolicyFolder = 'Linux: a managed policy folder to use instead of the browser''s (with one -Browser).'
    }
    Examples    = @(
        @{
            Code    = 'Remove-ChromiumCertificatePolicy'
            Remarks = 'Removes the entry from all three browsers.'
        }
    )
    Outputs     = 'Ekeng.Chromium.ChromiumCertificatePolicy'
    Links       = @('Set-ChromiumCertificatePolicy')
}
