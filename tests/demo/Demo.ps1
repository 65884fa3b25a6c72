<#
.SYNOPSIS
    The main job: the manual's procedures as a sysadmin would type them, against the rigs.
.DESCRIPTION
    Imports the BUILT module and runs each step script of tests/demo/steps in name order. Each step starts
    the rigs it needs and stops them in its own finally block, and shows the objects the commands return.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$env:NO_COLOR = '1'
Import-Module $ModulePath -Force

function Show-Step([string] $title) {
    Write-Host ''
    Write-Host ('=' * 78)
    Write-Host "  $title"
    Write-Host ('=' * 78)
}

function Show-Command([string] $text) {
    Write-Host "PS> $text" -ForegroundColor Cyan
}

foreach ($step in Get-ChildItem (Join-Path $PSScriptRoot 'steps') -Filter '*.ps1' | Sort-Object Name) {
    . $step.FullName
}
Write-Host ''
Write-Host 'Demo finished: every step ran against real components.'
