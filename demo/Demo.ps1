<#
.SYNOPSIS
    The main job: the manual's procedures as a sysadmin would type them, against the rigs.
.DESCRIPTION
    Runs each step script of demo/steps in name order, each in a fresh PowerShell session (as a new
    console would be) that has imported the BUILT module. Each step starts the rigs it needs, stops them in its
    own finally block, and shows the objects the commands return. The demo fails when a step fails.
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

# A step whose rig cannot run here says so and why; with CI=true that is a failure, never a quiet pass.
function Skip-Step([string] $step, [string] $reason) {
    if ($env:CI -eq 'true') { throw "CI=true never skips a demo step, but the $step step cannot run: $reason" }
    Write-Host "($step step SKIPPED: $reason)"
}

function Show-Command([string] $text) {
    Write-Host "PS> $text" -ForegroundColor Cyan
}

function Invoke-Shown {
    <#
    .SYNOPSIS
        Prints a command as typed at the prompt, runs it in the step's scope, shows its output as the console
        would, and returns the objects.
    #>
    param([Parameter(Mandatory)] [string] $Command)
    Show-Command $Command
    $result = @(. ([scriptblock]::Create($Command)))
    $result | Out-String -Width 160 | Write-Host -NoNewline
    $result
}

if ($env:EKENG_DEMO_STEP) {
    # Inside one step's session.
    . $env:EKENG_DEMO_STEP
    return
}

$hostPath = (Get-Process -Id $PID).Path
[string[]] $prefix = if ((Split-Path -Leaf $hostPath) -match '^dotnet(\.exe)?$') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
foreach ($step in Get-ChildItem (Join-Path $PSScriptRoot 'steps') -Filter '*.ps1' | Sort-Object Name) {
    $env:EKENG_DEMO_STEP = $step.FullName
    try {
        & $hostPath @prefix -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $ModulePath
        if ($LASTEXITCODE -ne 0) { throw "Demo step $($step.Name) failed (exit $LASTEXITCODE)." }
    }
    finally {
        $env:EKENG_DEMO_STEP = $null
    }
}
Write-Host ''
Write-Host 'Demo finished: every step ran against real components.'
