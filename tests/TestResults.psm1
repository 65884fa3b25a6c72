# The results of a test run (build.ps1 -Task Test): the xunit projects found under tests/, their TRX files, the
# Pester summary, and the closing line 'N passed, N failed, N skipped' over every runner. CI=true: a skip fails the
# run (tests/TestRun.psm1's skip rule).
Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot 'TestRun.psm1')

function Get-XunitProject {
    <# .SYNOPSIS The xunit projects: every tests/<Name>.Tests/<Name>.Tests.csproj, by name. #>
    param([Parameter(Mandatory)] [string] $TestsFolder)
    Get-ChildItem -LiteralPath $TestsFolder -Directory -Filter '*.Tests' | Sort-Object Name |
        Where-Object { Test-Path -LiteralPath (Join-Path $_.FullName "$($_.Name).csproj") } | ForEach-Object Name
}

function Get-TrxCount {
    <# .SYNOPSIS Passed, Failed (failed, error, timeout, aborted) and Skipped (not executed) of one TRX file. #>
    param([Parameter(Mandatory)] [string] $Path)
    $c = ([xml](Get-Content -Raw -LiteralPath $Path)).TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function New-TestTally {
    <# .SYNOPSIS The run's totals, and the failures that are no failed test (a runner that died, a skip under CI). #>
    [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0; Problems = [System.Collections.Generic.List[string]]::new() }
}

function Add-TestCount {
    <# .SYNOPSIS Adds one runner's counts to the tally and prints its line ('   <Name>: N passed, N failed, N skipped'). #>
    param([Parameter(Mandatory)] [object] $Tally, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [object] $Count)
    Write-Host "   ${Name}: $($Count.Passed) passed, $($Count.Failed) failed, $($Count.Skipped) skipped"
    $Tally.Passed += $Count.Passed; $Tally.Failed += $Count.Failed; $Tally.Skipped += $Count.Skipped
}

function Invoke-XunitProject {
    <#
    .SYNOPSIS
        Runs one xunit project (dotnet test, TRX into -ResultPath), adds its counts to the tally and prints each
        skipped test with its reason (the console logger names a skipped test but not why; the TRX has Requires'
        message).
    #>
    param(
        [Parameter(Mandatory)] [string] $Project,
        [Parameter(Mandatory)] [string] $Configuration,
        [Parameter(Mandatory)] [string] $ResultPath,
        [Parameter(Mandatory)] [object] $Tally
    )
    $name = [System.IO.Path]::GetFileNameWithoutExtension($Project)
    Write-Host "== xunit $name"
    & dotnet test $Project -c $Configuration --nologo `
        --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=minimal' --results-directory $ResultPath | Out-Host
    $exit = $LASTEXITCODE
    $trx = Join-Path $ResultPath "$name.trx"
    if (-not (Test-Path -LiteralPath $trx)) { throw "$name wrote no results (dotnet test exited $exit)." }
    $count = Get-TrxCount $trx
    Add-TestCount $Tally $name $count
    foreach ($r in ([xml](Get-Content -Raw -LiteralPath $trx)).TestRun.Results.UnitTestResult | Where-Object outcome -EQ 'NotExecuted') {
        Write-Host "   [!] skipped $($r.testName): $($r.Output.ErrorInfo.Message)"
    }
    if ($exit -ne 0 -and $count.Failed -eq 0) { $Tally.Problems.Add("dotnet test $name exited $exit") }
}

function Add-PesterResult {
    <# .SYNOPSIS Adds the summary tests/pester/Invoke-Pester.ps1 wrote (pester-summary.json) to the tally. #>
    param([Parameter(Mandatory)] [string] $ResultPath, [Parameter(Mandatory)] [int] $ExitCode, [Parameter(Mandatory)] [object] $Tally)
    $summary = Join-Path $ResultPath 'pester-summary.json'
    if (-not (Test-Path -LiteralPath $summary)) { throw "Pester wrote no results (exit $ExitCode)." }
    $p = Get-Content -Raw -LiteralPath $summary | ConvertFrom-Json
    Add-TestCount $Tally 'Pester' $p
    if ($ExitCode -ne 0 -and $p.Failed -eq 0) { $Tally.Problems.Add("Pester exited $ExitCode") }
}

function Complete-TestRun {
    <# .SYNOPSIS Prints the closing line 'N passed, N failed, N skipped'; throws when a test failed or the run had a problem. #>
    param([Parameter(Mandatory)] [object] $Tally)
    if ($Tally.Skipped -gt 0 -and (Test-NoSkipRun)) { $Tally.Problems.Add("CI=true never skips, but $($Tally.Skipped) test(s) were skipped") }
    Write-Host "$($Tally.Passed) passed, $($Tally.Failed) failed, $($Tally.Skipped) skipped"
    if ($Tally.Failed -gt 0 -or $Tally.Problems.Count -gt 0) { throw "Tests failed. $($Tally.Problems -join '; ')" }
}

Export-ModuleMember -Function Get-XunitProject, Get-TrxCount, New-TestTally, Add-TestCount, Invoke-XunitProject, Add-PesterResult, Complete-TestRun
