<#
.SYNOPSIS
    Runs the Pester tests against the BUILT module, each test file in a fresh PowerShell process; writes
    NUnit XML per file and a summary for build.ps1.
.DESCRIPTION
    One process per file keeps files independent: libpcsclite caches its socket path on first use in a process,
    the module's types load once, and rigs (pcscd, SoftHSM tokens, Firefox) cannot leak from one file to the next.
    The tests find the module through $env:EKENG_MODULE_PATH. Exit code 0 when every test passed, else 1.
#>
[CmdletBinding(DefaultParameterSetName = 'All')]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # Only the test files whose name or path matches this wildcard; default: $env:EKENG_PESTER_FILTER, else all.
    [string] $Filter = $(if ($env:EKENG_PESTER_FILTER) { $env:EKENG_PESTER_FILTER } else { '*' }),
    # Internal: run this one file in this process.
    [Parameter(ParameterSetName = 'One')] [string] $File
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestRun.psm1')
$env:EKENG_MODULE_PATH = (Resolve-Path $ModulePath).Path
New-Item -ItemType Directory -Force $ResultPath | Out-Null

if ($PSCmdlet.ParameterSetName -eq 'One') {
    Import-Module $PesterPath -Force
    $name = [System.IO.Path]::GetFileNameWithoutExtension($File)
    $config = New-PesterConfiguration
    $config.Run.Path = $File
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $ResultPath "pester-$name.xml"
    $result = Invoke-Pester -Configuration $config
    $skipped = $result.SkippedCount + $result.NotRunCount
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    if ($skipped -gt 0) {
        # Shown with or without CI (the reason is the rig helper's 'SKIPPED: …' warning above, or the -Because).
        # CI installs every rig: a skipped test there is a failure, never a quiet pass.
        Write-Host $(if (Test-NoSkipRun) { "[-] CI=true never skips, but $skipped test(s) in $name were skipped:" } else { "[!] $skipped test(s) in $name were skipped:" })
        $result.Skipped + $result.NotRun | Where-Object { $_ } | ForEach-Object { Write-Host "    $($_.ExpandedPath)$(if ($_.ErrorRecord) { ': ' + ($_.ErrorRecord | Select-Object -First 1) })" }
        if (Test-NoSkipRun) { $failed += $skipped }
    }
    [ordered]@{
        File    = $File
        Passed  = $result.PassedCount
        Failed  = $failed
        Skipped = $skipped
        Result  = $(if ($failed -gt 0) { 'Failed' } else { "$($result.Result)" })
    } | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultPath "pester-$name.json") -Encoding utf8
    exit $(if ($result.Result -eq 'Passed' -and $failed -eq 0) { 0 } else { 1 })
}

$files = @(Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' -Recurse |
    # The path below tests/pester: a worktree folder such as /work/wt/ux must not make '*Ux*' match every file.
    Where-Object { [System.IO.Path]::GetRelativePath($PSScriptRoot, $_.FullName) -like "*$Filter*" -or $_.Name -like $Filter } | Sort-Object Name)
if (-not $files) { throw "No Pester test file matches '$Filter'." }

$pwsh = Get-PwshCommand
$totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Files = @() }
foreach ($f in $files) {
    $name = [System.IO.Path]::GetFileNameWithoutExtension($f.FullName)
    $json = Join-Path $ResultPath "pester-$name.json"
    Remove-Item -LiteralPath $json -ErrorAction Ignore
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $PSCommandPath -PesterPath $PesterPath -ModulePath $ModulePath -ResultPath $ResultPath -File $f.FullName
    $exit = $LASTEXITCODE
    if (Test-Path -LiteralPath $json) {
        $r = Get-Content -Raw -LiteralPath $json | ConvertFrom-Json
        $totals.Passed += $r.Passed; $totals.Skipped += $r.Skipped
        $failed = [int]$r.Failed
        if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 }   # a container that failed outside any test
        $totals.Failed += $failed
    }
    else {
        Write-Host "[-] $($f.Name): the test process died (exit $exit) before writing results"
        $totals.Failed += 1
    }
    $totals.Files += $f.Name
}
$totals | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultPath 'pester-summary.json') -Encoding utf8
if ($totals.Failed -gt 0) { exit 1 }
exit 0
