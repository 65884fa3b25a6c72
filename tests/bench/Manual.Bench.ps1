<#
.SYNOPSIS
    The whole manual end to end (two PIN activations, CRM registration, the fee paid with a PDF receipt): the median
    module time over a few runs, each in a fresh PowerShell (tests/bench/ManualRun.ps1: a new console, a new card, a
    new sandbox), printed with its parts. The holder's browser step is measured apart and not counted. Goal: module
    time <= 2 s (the import is shown apart too).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
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
$results = foreach ($i in 1..$Runs) {
    $out = & $pwsh[0] @prefix -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'ManualRun.ps1') -ModulePath $ModulePath 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Manual run $i failed:`n$($out -join "`n")" }
    $out | Where-Object { "$_".StartsWith('{') } | Select-Object -Last 1 | ConvertFrom-Json
}
function Median([double[]] $v) { $s = @($v | Sort-Object); $m = [int][math]::Floor($s.Count / 2); if ($s.Count % 2) { $s[$m] } else { ($s[$m - 1] + $s[$m]) / 2 } }
$names = @($results[0].PSObject.Properties.Name)
$module = $names | Where-Object { $_ -ne 'import' -and $_ -notlike 'browser*' }
$totals = foreach ($r in $results) { ($module | ForEach-Object { $r.$_ } | Measure-Object -Sum).Sum }
foreach ($n in $names) { Write-BenchLine "  $n (median)" ('{0:F0} ms' -f (Median @($results | ForEach-Object { $_.$n }))) }
Write-BenchLine "The whole manual, module time (median of $Runs)" ('{0:F0} ms' -f (Median $totals)) '<= 2000 ms'
$results | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $OutPath 'manual.json') -Encoding utf8
