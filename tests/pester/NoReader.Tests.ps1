# README: "No reader at all is not an error: a warning and no object." Against a REAL pcscd that serves no reader
# (tests/rigs/PcscRig.psm1 -NoReader: an empty reader.conf), in its own process: libpcsclite binds its socket
# path once per process, so this rig cannot share a file with the one-reader rig of PcSc.Tests.ps1.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -NeedsRoot -Command pcscd, perl -Rig Pcsc
}

BeforeAll {
    Import-TestRig Pcsc
    $script:Rig = Start-PcscRig -NoReader
    Import-TestRig -BuiltModule
    # No PKCS#11 card either: only OpenSC's module (if installed) is found, and it sees no reader.
    $script:SavedModule = $env:EKENG_PKCS11_MODULE
    $env:EKENG_PKCS11_MODULE = $null
}

AfterAll {
    $env:EKENG_PKCS11_MODULE = $SavedModule
    if (Get-Command Stop-PcscRig -ErrorAction Ignore) { Stop-PcscRig }
}

Describe 'A machine with the smart card service running and no reader' -Skip:([bool]$Skip) {
    It 'the rig''s pcscd really serves no reader (opensc-tool lists none)' {
        $Rig.ReaderNames.Count | Should -Be 0
        $list = & $Rig.OpenscTool --list-readers 2>&1 | ForEach-Object { "$_" }
        ($list -join "`n") | Should -Match 'No smart card readers found'
    }

    It 'Get-EkengCard: one warning naming the cause, no object, no error' {
        $out = @(Get-EkengCard -WarningVariable w -WarningAction SilentlyContinue -ErrorVariable e -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $e.Count | Should -Be 0
        @($w).Count | Should -Be 1
        $w[0].Message | Should -Match 'No smart card reader was found'
        $w[0].Message | Should -Match 'pcsc_scan'
    }

    It 'Initialize-EkengPin with no card to act on: CardNotFound, ends the command, nothing asked' {
        $err = $null
        try { Initialize-EkengPin -Puk (ConvertTo-SecureString '86420975' -AsPlainText -Force) -Pin (ConvertTo-SecureString '13572468' -AsPlainText -Force) -ErrorAction Stop -WarningAction SilentlyContinue } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'CardNotFound,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Match 'No ID card'
    }
}
