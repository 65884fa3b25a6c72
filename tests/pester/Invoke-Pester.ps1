<#
.SYNOPSIS
    Runs the Pester tests against the BUILT module; writes NUnit XML and a summary for build.ps1.
.DESCRIPTION
    Run in its own pwsh by build.ps1 -Task Test. The tests find the module through $env:EKENG_MODULE_PATH.
    Exit code: 0 when every test passed, 1 otherwise.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # Only the test files whose name or path matches this wildcard; default: $env:EKENG_PESTER_FILTER, else all.
    [string] $Filter = $(if ($env:EKENG_PESTER_FILTER) { $env:EKENG_PESTER_FILTER } else { '*' })
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:EKENG_MODULE_PATH = (Resolve-Path $ModulePath).Path

$files = Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' -Recurse | Where-Object { $_.FullName -like "*$Filter*" -or $_.Name -like $Filter }
$config = New-PesterConfiguration
$config.Run.Path = @($files.FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultPath 'pester.xml'
$result = Invoke-Pester -Configuration $config

$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
}
$summary | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultPath 'pester-summary.json') -Encoding utf8
if ($summary.Failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
exit 0
