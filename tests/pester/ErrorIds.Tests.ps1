# README error-table ids that only a real PKCS#11 library gives, produced through the cmdlets against SoftHSM2 tokens
# (tests/rigs/SoftHsmRig.psm1), with OpenSC's pkcs11-tool as the witness that nothing reached the token. The ids for
# return codes SoftHSM never gives (TokenBusy, TokenWriteProtected) are xunit's (tests/Ekeng.Tests/Errors), and
# tests/Ekeng.Tests/Meta/ErrorTableTests.cs fails when a README id has no asserting test at all.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Rig SoftHsm
    $script:LoginSkip = if ($Skip) { $Skip } else { Get-RigSkipReason -Rig CardLogin }
}

BeforeAll {
    Import-TestRig SoftHsm -BuiltModule
    $script:PukText = '86420975'
    $script:Template = New-SoftHsmCard -Puk (Sec $PukText)
    $script:SavedModule = $env:EKENG_PKCS11_MODULE
    $env:EKENG_PKCS11_MODULE = $Template.ModulePath
    function script:Get-Error([scriptblock] $Command) {
        $err = $null
        try { & $Command } catch { $err = $_ }
        $err
    }
    # The token's own answer to a user login: CKR_USER_PIN_NOT_INITIALIZED while no PIN was ever set.
    function script:Test-Login([object] $Card, [string] $Label, [string] $PinText) {
        (Invoke-Pkcs11Tool -Card $Card --token-label $Label --login --pin $PinText -O) -join "`n"
    }
}

AfterAll {
    if (Get-Command Remove-SoftHsmCard -ErrorAction Ignore) { Remove-SoftHsmCard }
    $env:EKENG_PKCS11_MODULE = $SavedModule
}

Describe 'Pkcs11ModuleLoadFailed: a -Pkcs11Module that exists but is no PKCS#11 library' -Skip:([bool]$Skip) {
    It 'a shared library without C_GetFunctionList (libz): Pkcs11ModuleLoadFailed, NotInstalled, the path named' {
        $libz = @('/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/x86_64-linux-gnu/libz.so.1', '/lib/aarch64-linux-gnu/libz.so.1', '/usr/lib64/libz.so.1') |
            Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
        $libz | Should -Not -BeNullOrEmpty -Because 'zlib is part of every Debian system'
        $err = Get-Error { Get-EkengCard -Pkcs11Module $libz -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -Be 'Pkcs11ModuleLoadFailed,Ekeng.PowerShell.Commands.GetEkengCardCommand'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
        $err.Exception.Message | Should -Match ([regex]::Escape($libz))
        $err.Exception.Message | Should -Match 'C_GetFunctionList'
    }

    It 'a file of garbage bytes: Pkcs11ModuleLoadFailed, not a crash' {
        $garbage = Join-Path $Template.Root 'garbage-pkcs11.so'
        [System.IO.File]::WriteAllBytes($garbage, [byte[]](1..255))
        $err = Get-Error { Get-EkengCard -Pkcs11Module $garbage -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -Be 'Pkcs11ModuleLoadFailed,Ekeng.PowerShell.Commands.GetEkengCardCommand'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
        $err.Exception.Message | Should -Match ([regex]::Escape($garbage))
    }
}

Describe 'Pkcs11ModuleInitFailed: a PKCS#11 library that loads but refuses C_Initialize' -Skip:([bool]$Skip) {
    It 'SoftHSM whose SOFTHSM2_CONF names no file: Pkcs11ModuleInitFailed, DeviceError, the path and C_Initialize named' {
        # A child pwsh: the library registry is per process, and SoftHSM reads SOFTHSM2_CONF at its C_Initialize.
        $missing = Join-Path $Template.Root 'no-such-softhsm2.conf'
        Test-Path -LiteralPath $missing | Should -BeFalse
        $saved = [System.Environment]::GetEnvironmentVariable('SOFTHSM2_CONF')
        [System.Environment]::SetEnvironmentVariable('SOFTHSM2_CONF', $missing)
        try {
            $out = Invoke-ChildPwsh -Command @"
Import-Module '$env:EKENG_MODULE_PATH'
try { Get-EkengCard -Pkcs11Module '$($Template.ModulePath)' -ErrorAction Stop; 'NO ERROR' }
catch { 'ID=' + `$_.FullyQualifiedErrorId; 'CAT=' + `$_.CategoryInfo.Category; 'MSG=' + `$_.Exception.Message; 'ACTION=' + `$_.ErrorDetails.RecommendedAction }
"@
        }
        finally { [System.Environment]::SetEnvironmentVariable('SOFTHSM2_CONF', $saved) }
        $text = $out -join "`n"
        $out | Should -Contain 'ID=Pkcs11ModuleInitFailed,Ekeng.PowerShell.Commands.GetEkengCardCommand' -Because $text
        $out | Should -Contain 'CAT=DeviceError'
        $text | Should -Match ([regex]::Escape($Template.ModulePath))
        $text | Should -Match 'C_Initialize'
        $text | Should -Match 'ACTION=.*SOFTHSM2_CONF'
    }
}

Describe 'ClientCertificateSupportMissing: a module folder without Ekeng.Tls.dll, a card login to a named service' -Skip:([bool]$LoginSkip) {
    It 'Get-EkengCrmRegistration against the sandbox: ClientCertificateSupportMissing, NotInstalled, the missing file named, no login reaches the service' {
        $module = if (Test-Path -LiteralPath $env:EKENG_MODULE_PATH -PathType Leaf) { Split-Path -Parent $env:EKENG_MODULE_PATH } else { $env:EKENG_MODULE_PATH }
        $copy = Join-Path $TestDrive 'Ekeng'
        Copy-Item -LiteralPath $module -Destination $copy -Recurse
        $tls = Join-Path $copy 'Ekeng.Tls.dll'
        Test-Path -LiteralPath $tls | Should -BeTrue -Because 'the built module carries the card login off Windows'
        Remove-Item -LiteralPath $tls
        $rigs = (Resolve-Path (Join-Path $PSScriptRoot '../rigs')).Path
        # A child pwsh: its own card, sandbox and (absent) TLS assembly; the PIN and PUK are test values.
        $out = Invoke-ChildPwsh -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module (Join-Path '$rigs' 'SoftHsmRig.psm1'); Import-Module (Join-Path '$rigs' 'SandboxRig.psm1')
Import-Module (Join-Path '$copy' 'Ekeng.psd1')
function Sec([string] `$t) { ConvertTo-SecureString -String `$t -AsPlainText -Force }
`$card = New-SoftHsmCard -Puk (Sec '86420975')
`$sb = `$null
try {
    `$c = Get-EkengCard -Pkcs11Module `$card.ModulePath | Where-Object { `$_.Tokens.Count -gt 0 }
    `$c = `$c | Initialize-EkengPin -Puk (Sec '86420975') -Pin (Sec '73915284') -Confirm:`$false
    `$auth = Get-EkengCertificate -Card `$c -Kind Authentication
    `$sb = Start-SandboxRig -ClientCa `$card.CaPem
    try { `$auth | Get-EkengCrmRegistration -CrmUri `$sb.Crm -TrustedCaFile `$sb.CaFile -Pin (Sec '73915284'); 'NO ERROR' }
    catch { 'ID=' + `$_.FullyQualifiedErrorId; 'CAT=' + `$_.CategoryInfo.Category; 'MSG=' + `$_.Exception.Message; 'ACTION=' + `$_.ErrorDetails.RecommendedAction }
    'LOGINS=' + @((Invoke-SandboxGet `$sb 'sandbox/logins').Body | ConvertFrom-Json).Count
}
finally {
    if (`$sb) { `$sb | Stop-SandboxRig }
    Remove-SoftHsmCard -Card `$card
}
"@
        $text = $out -join "`n"
        $out | Should -Contain 'ID=ClientCertificateSupportMissing,Ekeng.PowerShell.Commands.GetEkengCrmRegistrationCommand' -Because $text
        $out | Should -Contain 'CAT=NotInstalled'
        $text | Should -Match ([regex]::Escape("MSG=Ekeng.Tls.dll is missing beside the module ($tls)"))
        $text | Should -Match 'ACTION=Reinstall the Ekeng module'
        $out | Should -Contain 'LOGINS=0' -Because 'the service was asked for its contract only, with no card login'
    }
}

Describe 'The error catalogue on a real ErrorRecord: category and RecommendedAction as README.md''s table gives them' {
    BeforeAll {
        # The README row of an id: | `Id` | Category | What to do |
        function script:Get-ReadmeRow([string] $Id) {
            $line = Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../README.md') | Where-Object { $_.StartsWith("| ``$Id`` |") }
            @($line).Count | Should -Be 1 -Because "README.md's error table has one row for $Id"
            $cells = $line -split '(?<!\\)\|'
            [pscustomobject]@{ Category = $cells[2].Trim(); Action = $cells[3].Trim().Replace('\|', '|') }
        }
    }

    It 'Pkcs11ModuleLoadFailed from a real dlopen: the catalogue''s category and action, the README''s words' -Skip:([bool]$Skip) {
        $libz = @('/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/x86_64-linux-gnu/libz.so.1', '/lib/aarch64-linux-gnu/libz.so.1', '/usr/lib64/libz.so.1') |
            Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
        $err = Get-Error { Get-EkengCard -Pkcs11Module $libz -ErrorAction Stop }
        $row = Get-ReadmeRow 'Pkcs11ModuleLoadFailed'
        $err.FullyQualifiedErrorId | Should -Be 'Pkcs11ModuleLoadFailed,Ekeng.PowerShell.Commands.GetEkengCardCommand'
        $err.CategoryInfo.Category.ToString() | Should -Be $row.Category
        $err.ErrorDetails.RecommendedAction | Should -Be $row.Action
        $err.ErrorDetails.RecommendedAction | Should -Be ([Ekeng.Pkcs11.TokenErrors]::Pkcs11ModuleLoadFailed.Action)
    }

    It 'ScopeConflict (-Scope Profile with -PolicyPath) ends the command with the catalogue''s action' {
        $err = Get-Error { Get-FirefoxCryptoModule -Scope Profile -PolicyPath (Join-Path $TestDrive 'distribution') -ErrorAction Stop }
        $row = Get-ReadmeRow 'ScopeConflict'
        $err.FullyQualifiedErrorId | Should -Be 'ScopeConflict,Ekeng.PowerShell.Commands.GetFirefoxCryptoModuleCommand'
        $err.CategoryInfo.Category.ToString() | Should -Be $row.Category
        $err.ErrorDetails.RecommendedAction | Should -Be $row.Action
    }

    It 'ProfileNotFound: a -ProfilePath that does not exist is written for that profile, with the catalogue''s action' {
        $missing = Join-Path $TestDrive 'no-such-profile'
        $errs = $null
        Set-FirefoxCryptoModule -ProfilePath $missing -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $row = Get-ReadmeRow 'ProfileNotFound'
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ProfileNotFound,Ekeng.PowerShell.Commands.SetFirefoxCryptoModuleCommand'
        $errs[0].CategoryInfo.Category.ToString() | Should -Be $row.Category
        $errs[0].ErrorDetails.RecommendedAction | Should -Be $row.Action
        Test-Path -LiteralPath $missing | Should -BeFalse -Because 'nothing is created for a profile that does not exist'
    }

    It 'RegistryPolicyUnsupported: -RegistryHive off Windows, with the catalogue''s action' -Skip:($IsWindows) {
        $err = Get-Error { Get-FirefoxCryptoModule -Scope Policy -RegistryHive CurrentUser -ErrorAction Stop }
        $row = Get-ReadmeRow 'RegistryPolicyUnsupported'
        $err.FullyQualifiedErrorId | Should -Be 'RegistryPolicyUnsupported,Ekeng.PowerShell.Commands.GetFirefoxCryptoModuleCommand'
        $err.CategoryInfo.Category.ToString() | Should -Be $row.Category
        $err.ErrorDetails.RecommendedAction | Should -Be $row.Action
    }
}

Describe 'PinNotInitialized: Set-EkengPin on a card whose PINs were never activated' -Skip:([bool]$Skip) {
    BeforeAll { $script:Fresh = Copy-SoftHsmCard -Card $Template }

    It 'is refused with PinNotInitialized before any secret reaches the token' {
        (Test-Login $Fresh 'ARMID (AuthPIN)' '24681357') | Should -Match 'CKR_USER_PIN_NOT_INITIALIZED'
        $err = Get-Error { Get-EkengCard | Set-EkengPin -CurrentPin (Sec '24681357') -Pin (Sec '13572468') -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -Be 'PinNotInitialized,Ekeng.PowerShell.Commands.SetEkengPinCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Match 'never set\. Nothing was sent'
        # Still never set: the new PIN was not stored by some other path.
        (Test-Login $Fresh 'ARMID (AuthPIN)' '13572468') | Should -Match 'CKR_USER_PIN_NOT_INITIALIZED'
        (Get-EkengCard).SignPin.State | Should -Be 'NotInitialized'
    }
}

Describe 'TokenNotFound: the PIN asked for has no token on the card' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Half = Copy-SoftHsmCard -Card $Template
        # Take the SignPIN token away: SoftHSM keeps one folder per token, its label in token.object.
        $sign = Get-ChildItem -LiteralPath $Half.TokenDirectory -Directory |
            Where-Object { Select-String -Quiet -SimpleMatch 'SignPIN' -LiteralPath (Join-Path $_.FullName 'token.object') }
        @($sign).Count | Should -Be 1
        Remove-Item -Recurse -Force -LiteralPath $sign.FullName
    }

    It 'Initialize-EkengPin -PinKind Sign: TokenNotFound naming the card, and the AuthPIN token is left alone' {
        $card = Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 }
        @($card.Tokens.Label) | Should -Be @('ARMID (AuthPIN)')
        $err = Get-Error { $card | Initialize-EkengPin -PinKind Sign -Puk (Sec $PukText) -Pin (Sec '13572468') -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -Be 'TokenNotFound,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Match 'has no SignPIN token'
        (Test-Login $Half 'ARMID (AuthPIN)' '13572468') | Should -Match 'CKR_USER_PIN_NOT_INITIALIZED'
    }
}
