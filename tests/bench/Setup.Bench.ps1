<#
.SYNOPSIS
    Test-EkengSetup's run time on the rig (a private pcscd with a vpcd reader, a SoftHSM card, a temp HOME): the whole
    run with pcscd up, and with pcscd stopped (the service check must fail fast, not wait).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$rigs = Join-Path $PSScriptRoot '../rigs'
if ((& id -u) -ne '0' -or -not (Get-Command pcscd -ErrorAction Ignore) -or -not (Get-Command softhsm2-util -ErrorAction Ignore)) {
    Write-BenchLine 'Test-EkengSetup run' 'not measured: needs root, pcscd and SoftHSM2'
    return
}
Import-Module (Join-Path $rigs 'PcscRig.psm1') -Force
Import-Module (Join-Path $rigs 'SoftHsmRig.psm1') -Force
$rig = Start-PcscRig
$home0 = $env:HOME
$env:HOME = Join-Path ([IO.Path]::GetTempPath()) "ekeng-bench-setup-$PID"
New-Item -ItemType Directory -Force $env:HOME | Out-Null
try {
    $card = New-SoftHsmCard -Puk (ConvertTo-SecureString -String '64208642' -AsPlainText -Force)
    $env:EKENG_PKCS11_MODULE = $card.ModulePath
    Import-Module (Resolve-Path $ModulePath).Path -Force
    $checks = @(Test-EkengSetup -TrustedRootFile $card.CaCertificate)
    $ms = Measure-Median -Runs 7 -Warmup 1 { Test-EkengSetup -TrustedRootFile $card.CaCertificate }
    Write-BenchLine "Test-EkengSetup, $($checks.Count) checks, pcscd up (median of 7)" ('{0:N0} ms' -f $ms) 'every check within 5 s; the run under 5 s'
    Stop-PcscRig -Rig $rig
    $rig = $null
    $ms = Measure-Median -Runs 7 -Warmup 1 { Test-EkengSetup -TrustedRootFile $card.CaCertificate }
    Write-BenchLine 'Test-EkengSetup with pcscd stopped (median of 7)' ('{0:N0} ms' -f $ms) 'the service check fails at once'
}
finally {
    if ($rig) { Stop-PcscRig -Rig $rig }
    Remove-SoftHsmCard
    Remove-Item -LiteralPath $env:HOME -Recurse -Force -ErrorAction Ignore
    $env:HOME = $home0
}
