<#
.SYNOPSIS
    The main job: the manual's procedures as a sysadmin would type them, against the rigs.
.DESCRIPTION
    Runs each step script of demo/steps in name order, each in a fresh PowerShell (as a new console would be: PC/SC's
    socket path, the PKCS#11 library and the module's types are bound once per process) that has imported
    demo/DemoRig.psm1 and the BUILT module. Each step starts the rigs it needs, stops them in its own finally block,
    and shows the objects the commands return. The demo fails when a step fails.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot '../tests/TestRun.psm1')

function ConvertTo-Literal([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

$pwsh = Get-PwshCommand
$prelude = "Set-StrictMode -Version 3; `$ErrorActionPreference = 'Stop'; `$env:NO_COLOR = '1'; " +
    "Import-Module $(ConvertTo-Literal (Join-Path $PSScriptRoot 'DemoRig.psm1')); Import-Module $(ConvertTo-Literal (Resolve-Path $ModulePath).Path)"
foreach ($step in Get-ChildItem (Join-Path $PSScriptRoot 'steps') -Filter '*.ps1' | Sort-Object Name) {
    # 'exit 0' is reached only when the step ended without an error (a terminating one ends the child with 1).
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "$prelude; . $(ConvertTo-Literal $step.FullName); exit 0"
    if ($LASTEXITCODE -ne 0) { throw "Demo step $($step.Name) failed (exit $LASTEXITCODE)." }
}
Write-Host ''
Write-Host 'Demo finished: every step ran against real components.'
