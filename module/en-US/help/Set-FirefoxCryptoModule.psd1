@{
    Synopsis    = 'Loads the card''s PKCS#11 module into Firefox: in every profile of the user, or machine-wide by policy.'
    Description = @'
Set-FirefoxCryptoModule does what the manual's last procedure does by hand (Settings, Privacy & Security, Security Devices, Load, browse to the CryptoCard Suite library, OK): it registers a PKCS#11 library as a security device, so that Firefox offers the ARMID (AuthPIN) and ARMID (SignPIN) tokens of the card.

With -Scope Profile (the default) it edits the pkcs11.txt of every Firefox profile of the current user, found through profiles.ini under every known root: on Linux ~/.config/mozilla/firefox (XDG_CONFIG_HOME), ~/.mozilla/firefox, the snap and flatpak folders; on macOS ~/Library/Application Support/Firefox; on Windows %APPDATA%\Mozilla\Firefox. -ProfilePath names profile folders instead; -Application Thunderbird does the same for Thunderbird. The file is written as NSS writes it (library= and name= lines, a blank line after the module), every other module is kept byte for byte, and the write is atomic (a temporary file renamed over the original), with the previous content kept as pkcs11.txt.bak. A profile on which Firefox is running is skipped with the error FirefoxRunning and left untouched: close Firefox, or use -Scope Policy. A stale lock (Firefox ended without removing it) does not count.

With -Scope Policy it registers the module machine-wide through Firefox's SecurityDevices enterprise policy, in the Add/Delete form: on Linux and macOS by merging it into policies.json (the installation's distribution folder; on Linux /etc/firefox/policies/policies.json when that file exists, because Firefox then reads only it); on Windows in the registry keys that Group Policy and Intune write (HKLM\Software\Policies\Mozilla\Firefox\SecurityDevices\Add, or HKCU with -RegistryHive CurrentUser). Other policies and other devices are kept. Firefox loads the module at its next start in every profile. Machine-wide changes need root or an elevated session.

The command is idempotent: a second run writes nothing and reports AlreadyPresent. A library registered under another name, or through another path to the same file (a symlink, other case on Windows), is found and not added twice. An entry of the same name that points elsewhere is corrected (Updated).

Before writing it checks that the library exists (ModuleLibraryNotFound) and that its CPU type (PE or ELF header) matches the Firefox installation (ModuleArchitectureMismatch: a 32-bit DLL cannot load into a 64-bit Firefox); -Force registers it anyway. Profiles of a snap or flatpak Firefox get a warning: those sandboxes usually cannot load a library from the host.

The default device name is "ARMID (CryptoCard)"; the default library is the CryptoTech CryptoCard Suite module: %ProgramFiles%\CryptoTech\CryptoCard\CCPkiP11.dll on Windows, /usr/lib/ccs/libccpkip11.so on Linux, /Library/Security/tokend/CCSuite.tokend/Contents/Frameworks/libccpkip11.dylib on macOS.

Each target gives one FirefoxCryptoModule object: Application, Profile (alias ProfileName) and ProfilePath (or PolicyPath, or RegistryKey), Name, Library, and Status: Added, AlreadyPresent, Updated or Skipped. A corrupt profiles.ini or pkcs11.txt (ProfilesIniCorrupt, Pkcs11TxtCorrupt) or a policies.json that is not JSON (PolicyJsonInvalid) gives an error naming the file and line, and the file is not touched. No Firefox profile at all is a warning, not an error.
'@
    Parameters  = @{
        Name         = 'The security device name that Firefox shows under Security Devices. Default: "ARMID (CryptoCard)".'
        Path         = 'The PKCS#11 library to load (alias -Library). Default: the CryptoCard Suite library of this OS. Environment variables such as %ProgramFiles% are expanded on Windows.'
        Force        = 'Registers the library even when it does not exist yet or its CPU type does not match the Firefox installation. A running Firefox still skips its profile.'
        Scope        = 'Profile (default): the pkcs11.txt of each profile. Policy: machine-wide, by the SecurityDevices enterprise policy (policies.json or the Windows registry).'
        ProfilePath  = 'Profile folders to change instead of the profiles listed in profiles.ini. Accepts the ProfilePath property of objects from the pipeline.'
        Application  = 'Firefox (default), Thunderbird, or Chromium (Linux: the NSS database ~/.pki/nssdb that Chromium, Chrome and Edge share, created as certutil -N --empty-password would when missing; -Scope Profile only, ChromiumPolicyScope otherwise; -ProfilePath then names NSS database folders): whose profiles or policy to change.'
        PolicyPath   = 'With -Scope Policy: the policies.json files to merge into, instead of the ones found. The folder is created when missing.'
        RegistryHive = 'With -Scope Policy on Windows: LocalMachine (default, HKLM, the whole machine) or CurrentUser (HKCU).'
    }
    Examples    = @(
        @{
            Code    = 'Set-FirefoxCryptoModule'
            Remarks = 'Registers the CryptoCard Suite module as "ARMID (CryptoCard)" in every Firefox profile of the current user, and lists what it did per profile.'
        }
        @{
            Code    = 'Set-FirefoxCryptoModule -Scope Policy'
            Remarks = 'Registers it machine-wide: Firefox loads it in every profile of every user at its next start. Run as root, or as Administrator on Windows.'
        }
        @{
            Code    = 'Set-FirefoxCryptoModule -ProfilePath ''/tmp/x y/Պրոֆիլ'' -Path /usr/lib/softhsm/libsofthsm2.so -Name SoftHSM -WhatIf'
            Remarks = 'Shows what would change in that profile, and writes nothing.'
        }
        @{
            Code    = 'Set-FirefoxCryptoModule -Application Firefox, Thunderbird | Where-Object Status -eq Skipped'
            Remarks = 'Registers the module for Firefox and Thunderbird and shows the profiles that were left alone (for example because the application was running).'
        }
    )
    Outputs     = 'Ekeng.Firefox.FirefoxCryptoModule'
    Links       = @('Get-FirefoxCryptoModule', 'Test-FirefoxCryptoModule', 'Remove-FirefoxCryptoModule', 'about_Ekeng')
}
