@{
    Synopsis    = 'Lists the PKCS#11 modules (security devices) of Firefox profiles or of the machine''s policy.'
    Description = @'
Get-FirefoxCryptoModule reads, without changing anything, the security devices registered in each Firefox profile of the current user (their pkcs11.txt, found through profiles.ini under every known root, or the folders given with -ProfilePath), or with -Scope Policy the devices that the SecurityDevices enterprise policy adds (policies.json on Linux and macOS, the registry on Windows).

Each module gives one FirefoxCryptoModule object with Status Present: Application, Profile (alias ProfileName) and ProfilePath (or PolicyPath, or RegistryKey), Name and Library. NSS's built-in module is not listed. Profiles with no security device give no object. A corrupt profiles.ini or pkcs11.txt, or a policies.json that is not JSON, gives an error naming the file; the other targets are still read.
'@
    Parameters  = @{
        Name         = 'Device names to list; wildcards are allowed. By default every security device is listed.'
        Scope        = 'Profile (default): the pkcs11.txt of each profile. Policy: the SecurityDevices enterprise policy.'
        ProfilePath  = 'Profile folders to read instead of the profiles listed in profiles.ini.'
        Application  = 'Firefox (default), Thunderbird, or Chromium (Linux: the NSS database ~/.pki/nssdb of Chromium, Chrome and Edge).'
        PolicyPath   = 'With -Scope Policy: the policies.json files to read instead of the ones found.'
        RegistryHive = 'With -Scope Policy on Windows: LocalMachine (default) or CurrentUser.'
    }
    Examples    = @(
        @{
            Code    = 'Get-FirefoxCryptoModule'
            Remarks = 'Lists the security devices of every Firefox profile of the current user.'
        }
        @{
            Code    = 'Get-FirefoxCryptoModule -Name ''ARMID*'' -Scope Policy'
            Remarks = 'Shows whether the machine''s Firefox policy adds the card''s module.'
        }
        @{
            Code    = 'Get-FirefoxCryptoModule -Name ''Old reader'' | Remove-FirefoxCryptoModule -Confirm:$false'
            Remarks = 'Removes a device from every profile that has it: Remove- takes the Name, Library and ProfilePath of the objects.'
        }
    )
    Outputs     = 'Ekeng.Firefox.FirefoxCryptoModule'
    Links       = @('Set-FirefoxCryptoModule', 'Test-FirefoxCryptoModule', 'Remove-FirefoxCryptoModule')
}
