<#
.SYNOPSIS
    The card login's cost: the mutual TLS handshake with the SoftHSM card's never-extractable key (OpenSSL's pkcs11
    engine, one C_Sign per handshake) against the same handshake with a software key, same in-test Kestrel, same run;
    medians of 15 handshakes each without TLS resumption (xunit Ekeng.Crm.Tests, which writes the figures). The whole
    Register-EkengCrm flow (two calls) is measured against the sandbox once it exists (not in this branch).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$OutPath = (New-Item -ItemType Directory -Force $OutPath).FullName
$report = Join-Path $OutPath 'crm-handshake.json'
Remove-Item -LiteralPath $report -ErrorAction Ignore
$env:EKENG_HANDSHAKE_REPORT = $report
try {
    $out = & dotnet test (Join-Path $repo 'tests/Ekeng.Crm.Tests/Ekeng.Crm.Tests.csproj') -c Release --nologo --filter 'FullyQualifiedName~Handshake_Time' --logger 'console;verbosity=normal' 2>&1
}
finally { Remove-Item Env:EKENG_HANDSHAKE_REPORT -ErrorAction Ignore }
if (-not (Test-Path $report)) {
    $why = ($out | Select-String -Pattern "Error Message" -Context 0,2 | Out-String).Trim()
    Write-BenchLine 'mTLS handshake, token key / software key' "not measured: $why"
    return
}
$r = Get-Content -Raw $report | ConvertFrom-Json
Write-BenchLine 'mTLS handshake, token key (median)' ('{0:F2} ms' -f $r.tokenMs)
Write-BenchLine 'mTLS handshake, software key (median)' ('{0:F2} ms' -f $r.softwareMs)
Write-BenchLine 'mTLS handshake ratio token/software' ('{0:F2}' -f $r.ratio) '<= 1.5'
Write-BenchLine 'Register-EkengCrm whole flow (two calls)' 'not measured: needs the sandbox (out/sandbox/Ekeng.Sandbox.dll)'
