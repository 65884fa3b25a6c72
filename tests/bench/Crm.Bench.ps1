<#
.SYNOPSIS
    The card login's cost: the mutual TLS handshake with the SoftHSM card's never-extractable key (OpenSSL's pkcs11
    engine, one C_Sign per handshake) against the same handshake with a software key, same in-test Kestrel, same run;
    medians of 15 handshakes each without TLS resumption (xunit Ekeng.Crm.Tests, which writes the figures). The whole
    Register-EkengCrm flow (two calls, the SMS code read from the outbox between them, not timed) is measured against
    the sandbox: a fresh sandbox (its own data) per run gives the same card's holder a new registration.
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

Import-Module (Join-Path $repo 'tests/rigs/SoftHsmRig.psm1') -Force
Import-Module (Join-Path $repo 'tests/rigs/SandboxRig.psm1') -Force
$skip = Get-SandboxRigSkipReason
if (-not $skip) { $skip = Get-SoftHsmRigSkipReason }
if ($skip) { Write-BenchLine 'Register-EkengCrm whole flow (two calls)' "not measured: $skip"; return }
Import-Module $ModulePath -Force
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$pin = ConvertTo-SecureString '73915284' -AsPlainText -Force
$card = New-SoftHsmCard -Puk $puk
$pem = $card.CaPem
$sandboxes = [System.Collections.Generic.List[object]]::new()
try {
    $c = Get-EkengCard -Pkcs11Module $card.ModulePath | Where-Object { $_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk $puk -Pin $pin -Confirm:$false
    $auth = Get-EkengCertificate -Card $c -Kind Authentication
    $times = foreach ($i in 1..6) {
        $sb = Start-SandboxRig -ClientCa $pem
        $sandboxes.Add($sb)
        $w = [System.Diagnostics.Stopwatch]::StartNew()
        $p = $auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $pin -Confirm:$false
        $first = $w.Elapsed.TotalMilliseconds
        $code = ConvertTo-SecureString @((Invoke-SandboxGet -Sandbox $sb -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0].code -AsPlainText -Force
        $w.Restart()
        $done = $p | Confirm-EkengCrmRegistration -SmsCode $code -Pin $pin -Confirm:$false
        if ($done.Status -ne 'Active') { throw "Run $i ended $($done.Status)." }
        [pscustomobject]@{ Run = $i; Total = $first + $w.Elapsed.TotalMilliseconds }
        $sb | Stop-SandboxRig
    }
    # The first run carries the process's one-time costs (engine start, key load, JIT): the median is of runs 2..6.
    $sorted = @($times | Select-Object -Skip 1 | ForEach-Object Total | Sort-Object)
    Write-BenchLine 'Register-EkengCrm whole flow (two calls), first run' ('{0:F0} ms' -f @($times)[0].Total)
    Write-BenchLine 'Register-EkengCrm whole flow (two calls), median' ('{0:F0} ms' -f $sorted[[int][math]::Floor($sorted.Count / 2)])
}
finally {
    $sandboxes | Stop-SandboxRig
    Remove-SoftHsmCard
}
