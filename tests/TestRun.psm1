# What every runner of this repository shares (build.ps1, the Pester runner and its test files, the rigs, the demo,
# the bench): the one skip rule, and the command line of a child PowerShell that is the same as this one.
#
# The skip rule: whatever cannot run here (a test, a rig, a demo step) is SKIPPED with its reason, never passed by
# returning early. With CI=true nothing is ever skipped: CI installs every rig, so a missing piece fails the run.
# xunit's side of the same rule is tests/Shared/Requires.cs.
Set-StrictMode -Version 3

function Test-NoSkipRun {
    <# .SYNOPSIS True when nothing may be skipped (CI=true): a skip is then a failure. #>
    $env:CI -eq 'true'
}

function Resolve-SkipReason {
    <#
    .SYNOPSIS
        Puts the reasons something cannot run through the skip rule: $null when there are none; with CI=true a throw;
        otherwise a warning and 'SKIPPED: <reasons>' (a truthy string for -Skip:([bool]...), shown in the summaries).
    .PARAMETER What
        What cannot run, for the CI message ('rig test', 'demo step', ...).
    #>
    param(
        [AllowNull()] [AllowEmptyCollection()] [AllowEmptyString()] [string[]] $Reason,
        [string] $What = 'rig test'
    )
    $reasons = @($Reason | Where-Object { $_ } | ForEach-Object { $_ -replace '^(SKIPPED|RIG-SKIP):\s*', '' })
    if ($reasons.Count -eq 0) { return $null }
    $text = $reasons -join '; '
    if (Test-NoSkipRun) { throw "CI=true never skips a $What, but: $text" }
    Write-Warning "SKIPPED: $text"
    "SKIPPED: $text"
}

function Get-PwshCommand {
    <#
    .SYNOPSIS
        The file and the leading arguments that start the same PowerShell as this one: the repository's local dotnet
        tool runs as 'dotnet pwsh.dll', an installed pwsh as itself. Use: & $c[0] @($c | Select-Object -Skip 1) ...
    #>
    $hostPath = (Get-Process -Id $PID).Path
    if ((Split-Path -Leaf $hostPath) -match '^dotnet(\.exe)?$') { , @($hostPath, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($hostPath) }
}

# The rigs (tests/rigs): each name, the module that has it, and the function that says why it cannot run here (each
# applies the skip rule above). The Pester files and the demo steps name rigs by these names.
$script:RigFolder = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot 'rigs'))
$script:RigChecks = [ordered]@{
    Pcsc        = @('PcscRig', 'Get-PcscRigSkipReason')
    SoftHsm     = @('SoftHsmRig', 'Get-SoftHsmRigSkipReason')
    Sandbox     = @('SandboxRig', 'Get-SandboxRigSkipReason')
    CardLogin   = @('SandboxRig', 'Get-CardLoginSkipReason')
    CardHolder  = @('CardHolderRig', 'Get-CardHolderRigSkipReason')
    ForeignCard = @('ForeignCardRig', 'Get-ForeignCardSkipReason')
}

function Import-Rig {
    <# .SYNOPSIS Imports the module of each rig named into the session (-Global), so that its commands serve every scope. #>
    param([ValidateSet('Pcsc', 'SoftHsm', 'Sandbox', 'CardLogin', 'CardHolder', 'ForeignCard')] [string[]] $Name = @())
    foreach ($n in $Name) { Import-Module (Join-Path $script:RigFolder "$($script:RigChecks[$n][0]).psm1") -Global -Force }
}

function Resolve-RigSkipReason {
    <#
    .SYNOPSIS
        Imports each rig named and asks it whether it can run here: the first reason it cannot ('SKIPPED: ...', through
        the skip rule: with CI=true the rig's check throws), or $null when all can.
    #>
    param([ValidateSet('Pcsc', 'SoftHsm', 'Sandbox', 'CardLogin', 'CardHolder', 'ForeignCard')] [string[]] $Rig = @())
    foreach ($r in $Rig) {
        Import-Rig $r
        $reason = & $script:RigChecks[$r][1]
        if ($reason) { return $reason }
    }
    $null
}

Export-ModuleMember -Function Test-NoSkipRun, Resolve-SkipReason, Get-PwshCommand, Import-Rig, Resolve-RigSkipReason
