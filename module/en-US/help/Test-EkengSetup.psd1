@{
    Synopsis    = 'Tells whether this machine and user can sign in to EKENG with the card today, and if not, why: one object per check, or one Boolean.'
    Description = @'
Test-EkengSetup makes every check it can without a PIN and writes one PortalCheck per check (Name, Status: Pass, Warning, Fail or NotApplicable, Detail, and Remedy: the command or step that fixes it), in the manual's order:

Middleware (the card's PKCS#11 library found, its CPU type, loadable by this host's bitness), SmartCardService (pcscd or SCardSvr running: SCARD_E_NO_SERVICE is a Fail, never an exception), Reader, Card (an ARMID card or not), AuthPIN and SignPIN (activated, not blocked, tries left as the token says), PUK (not blocked), AuthCertificate and SignCertificate (holder, public service number, days left: Warning under -WarningDays, Fail when expired or not yet valid), CertificateChain (to the roots of -TrustedRootFile, or the system's), Revocation (online with -CheckRevocation, bounded by a few seconds; NotApplicable otherwise), CertificateStore (Windows: the certificate in CurrentUser\My with its key), Firefox (the policy, or every profile of the user), Chromium (Linux: the user's NSS database ~/.pki/nssdb; Windows: the certificate store, nothing to register), CertificateAutoSelect (an AutoSelectCertificateForUrls policy for https://crm.ekeng.am that filters on the card CA's issuer CN; a Warning when missing), EkengService (only for a service named with -CrmUri or EKENG_CRM_URI: it must speak the module's contract; asked without the card), EkengRegistration (the holder's registration Active) and EkengFee (the fee's paid period: Pass with the date and days left, Warning when it ends within -WarningDays, Fail when it has ended or was never paid).

EkengRegistration and EkengFee need the card login with the AuthPIN, so they are made only with -Pin, and only against a service named with -CrmUri (or EKENG_CRM_URI) that passed EkengService: otherwise they are NotApplicable with the reason (no service named: the real EKENG publishes no API, the holder sees both at https://crm.ekeng.am; the service does not speak the contract: no login is made; no -Pin: "needs -Pin"). The PIN is checked (digits, the token's length) before the card sees it: a PIN of the wrong shape ends the command with PinNotDigits or PinLengthOutOfRange and no try is used. It is used for ONE card login, never retried, never logged; a wrong PIN is not an error but both checks' Fail with PinIncorrect (the other checks are still written).

Running as SYSTEM (Intune's default), the per-user checks (CertificateStore, Firefox profiles, Chromium) say NotApplicable with the reason and the setting that changes it: "Run this script using the logged on credentials". No check prompts; only EkengRegistration and EkengFee use a PIN, and only the one given with -Pin.

With -Quiet the command writes one Boolean: $true when no check fails (warnings allowed), for an Intune detection script.
'@
    Parameters  = @{
        WarningDays     = 'A certificate, or the fee''s paid period (EkengFee), that ends within this many days is a Warning. Default: 30.'
        TrustedRootFile = 'Root certificate files (DER or PEM) the card''s certificates must chain to, instead of the system''s roots. An unreadable file ends the command with TrustedRootUnreadable.'
        CheckRevocation = 'Checks revocation online (bounded: a few seconds at most).'
        Pkcs11Module    = 'The PKCS#11 library to use instead of the one found (EKENG_PKCS11_MODULE, CryptoCard Suite, OpenSC).'
        Quiet           = 'One Boolean: $true when no check fails (a Warning is not a failure).'
        Pin             = 'The AuthPIN (SecureString) for EkengRegistration and EkengFee, with a service named that speaks the contract. Checked (digits, length) before the card sees it: PinNotDigits or PinLengthOutOfRange end the command. One card login, never retried, never logged; a wrong PIN is both checks'' Fail (PinIncorrect). Without it those two checks are NotApplicable; nothing ever prompts.'
        CrmUri          = 'A service that speaks the module''s CRM contract (https). Default: $env:EKENG_CRM_URI; with neither, EkengService is NotApplicable (the real crm.ekeng.am publishes no API). The service is asked, without the card and within a few seconds, for its contract document only.'
        TrustedCaFile   = 'A PEM file whose CA certificates are the only roots trusted for that service. Default: $env:EKENG_CA_FILE, else the system''s roots.'
    }
    Examples    = @(
        @{
            Code    = 'Test-EkengSetup'
            Remarks = 'Every check, one line each, with the remedy of each Warning and Fail.'
        }
        @{
            Code    = 'if (Test-EkengSetup -Quiet) { exit 0 } else { exit 1 }'
            Remarks = 'An Intune detection script: exit code 1 asks for the remediation.'
        }
        @{
            Code    = 'Test-EkengSetup -CrmUri https://127.0.0.1:5001/ -TrustedCaFile ./sandbox-ca.pem -Pin (Read-Host -AsSecureString ''AuthPIN'')'
            Remarks = 'Also the holder''s registration and paid period, read with one card login from a service that speaks the module''s contract (the sandbox).'
        }
        @{
            Code    = 'Test-EkengSetup | Select-Object Name, Status, Detail, Remedy | ConvertTo-Json -Compress'
            Remarks = 'The report as JSON, for a fleet report collected by Intune''s own reporting (the script''s output).'
        }
    )
    Outputs     = 'Ekeng.Portal.PortalCheck (one per check); with -Quiet, System.Boolean'
    Links       = @('Set-FirefoxCryptoModule', 'Set-ChromiumCertificatePolicy', 'Get-EkengCard', 'Get-EkengCertificate')
}
