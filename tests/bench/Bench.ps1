<#
.SYNOPSIS
    Runs every tests/bench/*.Bench.ps1 and prints their figures; build.ps1 -Task Bench calls it.
.DESCRIPTION
    Each bench script receives -ModulePath and -OutPath and writes its own lines. Figures are medians of at
    least 5 runs; ratios are measured in the same run (BenchTools.psm1).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
New-Item -ItemType Directory -Force $OutPath | Out-Null
foreach ($bench in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "-- $($bench.BaseName)"
    & $bench.FullName -ModulePath $ModulePath -OutPath $OutPath
}
