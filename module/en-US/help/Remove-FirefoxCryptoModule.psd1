@{
    Synopsis    = 'Removes the card''s PKCS#11 module from Firefox profiles, or from the machine''s policy.'
    Description = @'
Remove-FirefoxCryptoModule removes a security device: with -Scope Profile (the default) the module blocks named -Name (and, with -Path, every module of that library whatever its name) from the pkcs11.txt of each Firefox profile of the current user or of the folders given with -ProfilePath. NSS's built-in module and every other module are kept byte for byte; the write is atomic, with the previous content kept as pkcs11.txt.bak. A profile on which Firefox runs is skipped with the error FirefoxRunning.

With -Scope Policy it takes the device out of SecurityDevices.Add and puts its name into SecurityDevices.Delete (policies.json, or the registry on Windows), because removing an Add alone does not remove the module from profiles that have it: with Delete, Firefox removes it from every profile at its next start. Other policies are kept. A policies.json that does not exist is not created.

Each target gives one FirefoxCryptoModule object with Status Removed or NotPresent (or Skipped with an error). The command asks for confirmation (ConfirmImpact High); scripts pass -Confirm:$false. -WhatIf shows what would change and writes nothing.
'@
    Parameters  = @{
        Name         = 'The security device name to remove. Default: "ARMID (CryptoCard)". Accepts the Name property of objects from the pipeline.'
        Path         = 'Also removes every module of this PKCS#11 library, whatever its name (alias -Library; accepts the Library property from the pipeline).'
        Scope        = 'Profile (default): each profile''s pkcs11.txt. Policy: the SecurityDevices enterprise policy.'
        ProfilePath  = 'Profile folders to change instead of the profiles listed in profiles.ini. Accepts the ProfilePath property from the pipeline.'
        Application  = 'Firefox (default), Thunderbird, or Chromium (Linux: the NSS database ~/.pki/nssdb of Chromium, Chrome and Edge).'
        PolicyPath   = 'With -Scope Policy: the policies.json files to change instead of the ones found.'
        RegistryHive = 'With -Scope Policy on Windows: LocalMachine (default) or CurrentUser.'
    }
    Examples    = @(
        @{
            Code    = 'Remove-FirefoxCryptoModule -Confirm:$false'
            Remarks = 'Removes "ARMID (CryptoCard)" from every Firefox profile of the current user.'
        }
        @{
            Code    = 'Remove-FirefoxCryptoModule -Scope Policy -WhatIf'
            Remarks = 'Shows which policy file or registry key would change, without changing it.'
        }
    )
    Outputs     = 'Ekeng.Firefox.FirefoxCryptoModule'
    Links       = @('Set-FirefoxCryptoModule', 'Get-FirefoxCryptoModule')
}
