# PhoneNumberRequired (README error table) through Register-EkengCrm against the REAL sandbox over mutual TLS with
# the SoftHSM card's key: a holder who is not registered yet, a non-interactive run, no -PhoneNumber. Its own file
# (one process): libp11 binds one PKCS#11 library per process, as in Crm.Tests.ps1.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Rig CardLogin, SoftHsm
}

BeforeAll {
    Import-TestRig SoftHsm, Sandbox -BuiltModule
    $script:PukText = '86420975'
    $script:PinText = '73915284'
}

Describe 'Register-EkengCrm without -PhoneNumber for a holder not registered yet' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Card = New-SoftHsmCard -Puk (Sec $PukText) -PublicServiceNumber '1234567890'
        $script:SavedModule = $env:EKENG_PKCS11_MODULE
        $env:EKENG_PKCS11_MODULE = $Card.ModulePath
        $ekengCard = Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1
        $ekengCard = $ekengCard | Initialize-EkengPin -Puk (Sec $PukText) -Pin (Sec $PinText) -Confirm:$false
        $script:Auth = Get-EkengCertificate -Card $ekengCard -Kind Authentication
        $script:Sandbox = Start-SandboxRig -ClientCa $Card.CaPem
        $script:Common = @{ CrmUri = $Sandbox.Crm; TrustedCaFile = $Sandbox.CaFile; Pin = (Sec $PinText) }
    }
    AfterAll {
        if (Get-Variable Sandbox -Scope Script -ErrorAction Ignore) { $Sandbox | Stop-SandboxRig }
        $env:EKENG_PKCS11_MODULE = $SavedModule
        Remove-SoftHsmCard
    }

    It 'non-interactive: PhoneNumberRequired (InvalidArgument, how to add it), no output, nothing registered' {
        $out = $Auth | Register-EkengCrm @Common -AcceptTerms -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'PhoneNumberRequired,Ekeng.PowerShell.Commands.RegisterEkengCrmCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match '-PhoneNumber'
        # The answer came from the service (the card logged in and the status was asked), and nothing was registered.
        @((Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/logins').Body | ConvertFrom-Json).Count | Should -BeGreaterThan 0
        ($Auth | Get-EkengCrmRegistration @Common).Status | Should -Be 'NotRegistered'
    }
}
