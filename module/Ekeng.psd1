#
# Module manifest for Ekeng: the Armenian ID card (ARMID) as an e-signature token.
# ModuleVersion is stamped by build.ps1 from Directory.Build.props (the one version of the module).
#
@{
    RootModule           = 'Ekeng.PowerShell.dll'
    ModuleVersion        = '0.0.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '6f0b7c1e-2d51-4a8e-9b43-1f2c5e8a7d10'
    Author               = 'Ekeng.PowerShell contributors'
    CompanyName          = 'Ekeng.PowerShell'
    Copyright            = '(c) Ekeng.PowerShell contributors. MIT licence.'
    Description          = 'Automates the Armenian national ID card (ARMID) as an e-signature token: readers and cards over PC/SC, PIN activation over PKCS#11, Firefox security devices, and EKENG registration and fee payment guided through the real crm.ekeng.am (checks, the page, the steps left; EKENG publishes no API, so nothing is sent there). The registration and fee API the module models runs only against a service named with -CrmUri that proves it speaks it (the project''s sandbox). A community project: not an official EKENG product, not made or endorsed by EKENG CJSC.'
    # Windows PowerShell 5.1 (.NET Framework 4.7.2 or later) and PowerShell 7.4 or later (.NET 8 or later). The module
    # references shared-framework assemblies no newer than .NET 8's, so 7.4 binds them to its own copies; the .NET
    # Framework binding is completed by Infrastructure/ModuleAssemblyInitializer.cs. PowerShell 7.0-7.3 (.NET Core 3.1
    # to .NET 7) are out of support and not accepted: see the import check in the same file.
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    RequiredAssemblies   = @('Ekeng.Core.dll')
    # The views load at import, so that every object gets them: a command's output, a [Ekeng...]::new(), and the
    # Deserialized.* objects of Import-Clixml or Invoke-Command (PowerShell gives them the view of the type they came from). Loading them from a
    # command instead (Update-FormatData) fails in constrained language, in JEA endpoints and under AllSigned.
    FormatsToProcess     = @('Ekeng.format.ps1xml')
    CmdletsToExport      = @(
        'Get-EkengCard'
        'Get-EkengCertificate'
        'Initialize-EkengPin'
        'Set-EkengPin'
        'Unblock-EkengPin'
        'Register-EkengCrm'
        'Confirm-EkengCrmRegistration'
        'Send-EkengCrmSmsCode'
        'Get-EkengCrmRegistration'
        'Get-EkengCrmTerms'
        'Invoke-EkengFeePayment'
        'Get-EkengFeePayment'
        'Save-EkengFeeReceipt'
        'New-EkengSignature'
        'Test-EkengSignature'
        'Get-FirefoxCryptoModule'
        'Remove-FirefoxCryptoModule'
        'Set-FirefoxCryptoModule'
        'Test-FirefoxCryptoModule'
        'Test-EkengSetup'
        'Set-ChromiumCertificatePolicy'
        'Remove-ChromiumCertificatePolicy'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('ARMID', 'EKENG', 'Armenia', 'SmartCard', 'PCSC', 'PKCS11', 'eID', 'Firefox', 'Linux', 'Windows', 'MacOS')
            # No LicenseUri or ProjectUri: the project has no public address yet. The licence is LICENSE in the module
            # folder; the libraries it carries are listed in THIRD-PARTY-NOTICES.md.
            ReleaseNotes = '0.1.0 (first version): cards and PINs over PC/SC and PKCS#11, EKENG registration and fee payment with PDF receipts, Firefox crypto modules; Windows PowerShell 5.1 and PowerShell 7.4 or later from one build; views at import; SYSTEM hosts (Intune, SCCM, scheduled tasks) treated as non-interactive; 32-bit hosts find 64-bit middleware and say what to do. Every change: CHANGELOG.md.'
        }
    }
}
