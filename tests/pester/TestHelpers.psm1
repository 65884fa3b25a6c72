# What the Pester files share: each file imports this module once, in BeforeDiscovery (or BeforeAll when it has no
# discovery-time skip). A module, not a dot-sourced script: it is imported into the session, so the same functions
# serve discovery and run (Pester runs them in different scopes), and nothing of its own leaks into a test's scope.
# The rigs it imports go into the session too (-Global): a file names them once, in its skip reason or in BeforeAll.
Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot '../TestRun.psm1')

function Import-TestRig {
    <#
    .SYNOPSIS
        Imports tests/rigs/<Name>Rig.psm1 into the session; with -BuiltModule then the module under test
        ($env:EKENG_MODULE_PATH, set by tests/pester/Invoke-Pester.ps1).
    #>
    param(
        [ValidateSet('Pcsc', 'SoftHsm', 'Sandbox', 'CardHolder', 'ForeignCard')] [string[]] $Name = @(),
        [switch] $BuiltModule
    )
    Import-Rig $Name
    if ($BuiltModule) { Import-Module $env:EKENG_MODULE_PATH -Global -Force }
}

function Get-RigSkipReason {
    <#
    .SYNOPSIS
        Why a test that needs real components cannot run here ('SKIPPED: ...'), or $null when it can.
    .DESCRIPTION
        Checks root (-NeedsRoot: rigs start system services such as pcscd) and the commands, then each rig named
        in -Rig (importing its module into the session), and stops at the first reason. Every reason goes through
        tests/TestRun.psm1's skip rule: a warning and a skip, or with CI=true a throw, so the run fails.
    .EXAMPLE
        $script:Skip = Get-RigSkipReason -Rig CardLogin, SoftHsm -Command pdftotext
    #>
    param(
        [ValidateSet('Pcsc', 'SoftHsm', 'Sandbox', 'CardLogin', 'CardHolder', 'ForeignCard')] [string[]] $Rig = @(),
        [string[]] $Command = @(),
        [switch] $NeedsRoot
    )
    $reasons = @()
    if ($NeedsRoot -and (& id -u) -ne '0') { $reasons += 'needs root (it starts system services such as pcscd)' }
    foreach ($c in $Command) {
        if (-not (Get-Command $c -ErrorAction Ignore)) { $reasons += "'$c' is not installed (build.ps1 -Task Deps)" }
    }
    $reason = Resolve-SkipReason $reasons
    if (-not $reason) { $reason = Resolve-RigSkipReason $Rig }
    $reason
}

function Sec {
    <# .SYNOPSIS A test secret as the SecureString the commands take (test values only; real secrets are typed). #>
    param([string] $Text)
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function New-PwshStartInfo {
    <#
    .SYNOPSIS
        A ProcessStartInfo for a child PowerShell the same as this one (-NoProfile -NonInteractive, then the
        arguments), its output and error streams redirected; the caller sets its environment and starts it.
    #>
    param([string[]] $ArgumentList = @())
    $pwsh = Get-PwshCommand
    $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi
}

# Quiet test logs: Initialize-EkengPin tells the person at the console the manual's next step (an information
# record shown like Write-Host); tests that check it capture it with 6>&1 in a child process of their own.
$global:PSDefaultParameterValues['Initialize-EkengPin:InformationAction'] = 'SilentlyContinue'

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs a script in a fresh PowerShell of the same version as this one; returns its output lines (stderr merged)
        and leaves its exit code in $LASTEXITCODE. -ErrorFile keeps stderr apart, in that file.
    #>
    param([Parameter(Mandatory)] [string] $Command, [string] $ErrorFile)
    $pwsh = Get-PwshCommand
    # A script file, not -EncodedCommand: with -EncodedCommand the child sends its warning, verbose and debug records
    # as CLIXML on stderr, and this process replays them through its own host, into the test log. With -File the
    # child's host writes them as text on its stdout, which is returned here with the rest.
    $file = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-child-$PID-$([guid]::NewGuid().ToString('N')).ps1"
    Set-Content -LiteralPath $file -Value $Command -Encoding utf8BOM
    try {
        if ($ErrorFile) { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file 2>$ErrorFile }
        else { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file 2>&1 }
    }
    finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
}

Export-ModuleMember -Function Import-TestRig, Get-RigSkipReason, Sec, New-PwshStartInfo, Invoke-ChildPwsh, Get-PwshCommand, Test-NoSkipRun, Resolve-SkipReason
