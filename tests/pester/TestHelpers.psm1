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

# Quiet test logs: Initialize-EkengPin tells the person at the console the manual's next step (an information
# record shown like Write-Host); tests that check it capture it with 6>&1 in a child process of their own.
$global:PSDefaultParameterValues['Initialize-EkengPin:InformationAction'] = 'SilentlyContinue'

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs a script in a fresh PowerShell of the same version as this one (the local dotnet tool runs as
        'dotnet pwsh.dll'); returns its output lines (stderr merged) and leaves its exit code in $LASTEXITCODE.
    #>
    param([Parameter(Mandatory)] [string] $Command)
    $hostPath = (Get-Process -Id $PID).Path
    [string[]] $prefix = if ((Split-Path -Leaf $hostPath) -match '^dotnet(\.exe)?$') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    # A script file, not -EncodedCommand: with -EncodedCommand the child sends its warning, verbose and debug records
    # as CLIXML on stderr, and this process replays them through its own host, into the test log. With -File the
    # child's host writes them as text on its stdout, which is returned here with the rest.
    $file = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-child-$PID-$([guid]::NewGuid().ToString('N')).ps1"
    Set-Content -LiteralPath $file -Value $Command -Encoding utf8BOM
    try { & $hostPath @prefix -NoProfile -NonInteractive -File $file 2>&1 }
    finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
}

Export-ModuleMember -Function Get-RigSkipReason, Invoke-ChildPwsh
