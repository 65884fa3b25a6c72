@{
    Synopsis    = 'Tells whether the card''s PKCS#11 module is registered in every Firefox profile, or by policy: $true or $false.'
    Description = @'
Test-FirefoxCryptoModule returns one Boolean, fit for an Intune detection script: $true when Set-FirefoxCryptoModule with the same parameters would find nothing to do, that is when every target (each Firefox profile of the current user, the profiles given with -ProfilePath, or with -Scope Policy each policy file or the registry) already registers the library, under any name, through any path to the same file. A target where an entry of that name points at another library, or where the policy also deletes the device, counts as not registered.

It returns $false when no target exists at all (no Firefox profile: a warning says so), and for a target whose file cannot be read (an error names it). -Verbose lists the targets that lack the module. It never writes anything, and it reads profiles while Firefox runs on them.

With -Detailed it answers per target instead: one FirefoxCryptoModule per profile or policy, with a Present Boolean (Status Present or NotPresent, the profile, the library and the target path), and no overall Boolean. A library path with %VARIABLES% is expanded as Set-FirefoxCryptoModule expands it; one that stays unexpanded is UnexpandedLibraryPath.
'@
    Parameters  = @{
        Name         = 'The security device name. Default: "ARMID (CryptoCard)".'
        Path         = 'The PKCS#11 library (alias -Library). Default: the CryptoCard Suite library of this OS.'
        Scope        = 'Profile (default): every profile''s pkcs11.txt. Policy: the SecurityDevices enterprise policy.'
        ProfilePath  = 'Profile folders to test instead of the profiles listed in profiles.ini.'
        Application  = 'Firefox (default), Thunderbird, or Chromium (Linux: the NSS database ~/.pki/nssdb of Chromium, Chrome and Edge): all their profiles must have the module.'
        PolicyPath   = 'With -Scope Policy: the policies.json files to test instead of the ones found.'
        RegistryHive = 'With -Scope Policy on Windows: LocalMachine (default) or CurrentUser.'
        Detailed     = 'One result per profile or policy (FirefoxCryptoModule with a Present Boolean) instead of the one $true/$false.'
    }
    Examples    = @(
        @{
            Code    = 'if (Test-FirefoxCryptoModule) { exit 0 } else { exit 1 }'
            Remarks = 'An Intune detection script: exit code 0 when every Firefox profile of the user has the card''s module.'
        }
        @{
            Code    = 'Test-FirefoxCryptoModule -Detailed | Where-Object { -not $_.Present }'
            Remarks = 'The profiles that still lack the module, one object each.'
        }
        @{
            Code    = 'Test-FirefoxCryptoModule -Scope Policy -Verbose'
            Remarks = 'Tells whether the machine-wide Firefox policy registers the module, and shows why not.'
        }
    )
    Outputs     = 'System.Boolean; with -Detailed, Ekeng.Firefox.FirefoxCryptoModule (one per target, with Present)'
    Links       = @('Set-FirefoxCryptoModule', 'Get-FirefoxCryptoModule')
}
