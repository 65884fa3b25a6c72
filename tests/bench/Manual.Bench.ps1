<#
.SYNOPSIS
    The whole manual end to end (two PIN activations, CRM registration, the fee paid with a PDF receipt): the median
    module time over a few runs, each in a fresh PowerShell (tests/bench/ManualRun.ps1: a new console, a new card, a
    new sandbox warmed first by ANOTHER process with another card, so that the sandbox's own first requests are not
    counted), printed with its parts. The holder's browser step is measured apart and not counted, nor is the import
    (shown apart). Goals: the whole manual's module time <= 500 ms; Register-EkengCrm's first call <= 150 ms, where the
    first call is "registration, call 1" of that run: a fresh pwsh, the module imported, both PINs activated (the
    manual's previous step), then the process's first Register-EkengCrm (-PhoneNumber -AcceptTerms -Pin) against the
    sandbox on loopback: the contract probe, the card login (one C_Login, OpenSSL's pkcs11 engine), the process's first
    TLS handshakes and JSON, GET registration and terms, POST registration. One more run with the sandbox NOT warmed
    (-ColdRuns) is shown for comparison with the first figures (module and sandbox starting together).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath, [int] $Runs = 5, [int] $ColdRuns = 1)
$ErrorActionPreference = 'Stop'
$OutPath = (New-Item -ItemType Directory -Force $OutPath).FullName
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../rigs/SoftHsmRig.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../rigs/SandboxRig.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../rigs/CardHolderRig.psm1') -Force
$skip = Get-SandboxRigSkipReason
if (-not $skip) { $skip = Get-SoftHsmRigSkipReason }
if (-not $skip) { $skip = Get-CardHolderRigSkipReason }
if ($skip) { Write-BenchLine 'The whole manual, module time (median)' "not measured: $skip"; return }
Build-CardHolder | Out-Null
$pwsh = Get-PwshCommand
[string[]] $prefix = @($pwsh | Select-Object -Skip 1)
function Invoke-ManualRun([switch] $Cold) {
    $out = & $pwsh[0] @prefix -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'ManualRun.ps1') -ModulePath $ModulePath -ColdSandbox:$Cold 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Manual run failed:`n$($out -join "`n")" }
    $out | Where-Object { "$_".StartsWith('{') } | Select-Object -Last 1 | ConvertFrom-Json
}
$results = @(foreach ($i in 1..$Runs) { Invoke-ManualRun })
$cold = @(foreach ($i in 1..$ColdRuns) { if ($ColdRuns -gt 0) { Invoke-ManualRun -Cold } })
$load = Get-LoadText
$names = @($results[0].PSObject.Properties.Name | Where-Object { $_ -ne 'cpu' })
$module = $names | Where-Object { $_ -ne 'import' -and $_ -notlike 'browser*' }
function Total($r) { ($module | ForEach-Object { $r.$_ } | Measure-Object -Sum).Sum }
foreach ($n in $names) { Write-BenchLine "  $n (median)" ('{0:F0} ms, CPU {1:F0} ms' -f (Get-Median @($results | ForEach-Object { $_.$n })), (Get-Median @($results | ForEach-Object { $_.cpu.$n }))) }
Write-BenchLine '  module time in CPU ms (median)' ('{0:F0} ms' -f (Get-Median @($results | ForEach-Object { $r = $_; ($module | ForEach-Object { $r.cpu.$_ } | Measure-Object -Sum).Sum })))
$first = Get-Median @($results | ForEach-Object { $_.'registration, call 1' })
$whole = Get-Median @($results | ForEach-Object { Total $_ })
Write-GoalLine -Name 'Register-EkengCrm first call' -Value $first -Text ('{0:F0} ms median of {1} fresh processes (import {2:F0} ms apart; sandbox warmed by another process; {3})' -f $first, $Runs, (Get-Median @($results | ForEach-Object { $_.import })), $load) -Op '<=' -Goal 150 -GoalText '<= 150 ms'
Write-GoalLine -Name 'The whole manual, module time' -Value $whole -Text ('{0:F0} ms median of {1} (activation, registration x2, fee order, paid status with PDF receipt; {2})' -f $whole, $Runs, $load) -Op '<=' -Goal 500 -GoalText '<= 500 ms'
if ($cold.Count -gt 0) {
    Write-BenchLine "  for comparison, sandbox NOT warmed ($($cold.Count) run)" ('first call {0:F0} ms, module time {1:F0} ms' -f (Get-Median @($cold | ForEach-Object { $_.'registration, call 1' })), (Get-Median @($cold | ForEach-Object { Total $_ })))
}
[ordered]@{ Warm = $results; Cold = $cold; Load = $load } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $OutPath 'manual.json') -Encoding utf8
