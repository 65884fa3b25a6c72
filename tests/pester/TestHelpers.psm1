# Helpers shared by the Pester tests.
Set-StrictMode -Version 3

function Get-RigSkipReason {
    <#
    .SYNOPSIS
        Why a test that needs real components cannot run here, or $null when it can.
    .DESCRIPTION
        Rigs start system services (pcscd) and need root and the Debian packages of build.ps1 -Task Deps.
        With CI=true nothing is ever skipped: a missing piece throws, so the run fails.
    #>
    param([string[]] $Command = @(), [switch] $NeedsRoot)
    $reasons = @()
    if ($NeedsRoot -and (& id -u) -ne '0') { $reasons += 'needs root (it starts system services such as pcscd)' }
    foreach ($c in $Command) {
        if (-not (Get-Command $c -ErrorAction Ignore)) { $reasons += "'$c' is not installed (build.ps1 -Task Deps)" }
    }
    if (-not $reasons) { return $null }
    $reason = 'SKIPPED: ' + ($reasons -join '; ')
    if ($env:CI -eq 'true') { throw "CI=true never skips a rig test, but: $($reasons -join '; ')" }
    Write-Warning $reason
    $reason
}

Export-ModuleMember -Function Get-RigSkipReason
