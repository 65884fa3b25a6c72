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

Export-ModuleMember -Function Test-NoSkipRun, Resolve-SkipReason, Get-PwshCommand
