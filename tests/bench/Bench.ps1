<#
.SYNOPSIS
    Runs every tests/bench/*.Bench.ps1 and prints their figures; build.ps1 -Task Bench calls it.
.DESCRIPTION
    Each bench script runs in its own PowerShell process (rigs and native libraries cannot leak between them),
    receives -ModulePath and -OutPath and writes its own lines. Figures are medians of at least 5 runs; ratios
    are measured in the same run (BenchTools.psm1).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
New-Item -ItemType Directory -Force $OutPath | Out-Null
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$pwsh = Get-PwshCommand
[string[]] $prefix = @($pwsh | Select-Object -Skip 1)
$failed = @()
foreach ($bench in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "-- $($bench.BaseName)"
    & $pwsh[0] @prefix -NoProfile -NonInteractive -File $bench.FullName -ModulePath $ModulePath -OutPath $OutPath
    if ($LASTEXITCODE -ne 0) { $failed += $bench.Name }
}
if ($failed) { throw "Bench script(s) failed: $($failed -join ', ')" }
