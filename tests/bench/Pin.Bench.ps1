<#
.SYNOPSIS
    PIN activation: wall time and number of PKCS#11 calls of Initialize-EkengPin activating both PINs of a fresh
    SoftHSM card, against OpenSC's pkcs11-tool --init-pin (with --so-pin) doing the same two tokens; medians over
    fresh token pairs, ratio in the same run. PKCS#11 calls are counted with OpenSC's pkcs11-spy.so
    (PKCS11SPY=<the real module>): every call it logs, for both tools.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath, [int] $Runs = 7)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../rigs/SoftHsmRig.psm1') -Force
$skip = Get-SoftHsmRigSkipReason
if ($skip) { Write-BenchLine 'PIN activation' "not measured: $skip"; return }
Import-Module (Resolve-Path $ModulePath).Path -Force

$pukText = '86420975'; $pinText = '24681357'
$puk = ConvertTo-SecureString $pukText -AsPlainText -Force
$pin = ConvertTo-SecureString $pinText -AsPlainText -Force
$labels = 'ARMID (AuthPIN)', 'ARMID (SignPIN)'
$spy = @('/usr/lib/x86_64-linux-gnu/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib64/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1

$template = New-SoftHsmCard -Puk $puk
try {
    $real = $template.ModulePath
    function Invoke-Ours([string] $module) {
        $card = Initialize-EkengPin -Puk $puk -Pin $pin -Pkcs11Module $module
        if ($card.AuthPin.State -ne 'Ready' -or $card.SignPin.State -ne 'Ready') { throw 'Initialize-EkengPin did not activate both PINs.' }
    }
    function Invoke-Tool([object] $card, [string] $module) {
        foreach ($label in $labels) {
            & pkcs11-tool --module $module --token-label $label --login --login-type so --so-pin $pukText --init-pin --new-pin $pinText 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "pkcs11-tool --init-pin failed on '$label'." }
        }
    }
    function Test-Activated([object] $card) {
        foreach ($label in $labels) {
            Invoke-Pkcs11Tool -Card $card --token-label $label --login --pin $pinText -O | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "Login with the new PIN failed on '$label'." }
        }
    }

    # Wall time: each run on a fresh copy of the card (user PINs not initialised), the two tools interleaved.
    $ours = [System.Collections.Generic.List[double]]::new(); $tool = [System.Collections.Generic.List[double]]::new()
    for ($i = -1; $i -lt $Runs; $i++) {   # run -1 warms both up and is not counted
        $a = Copy-SoftHsmCard -Card $template
        $sw = [System.Diagnostics.Stopwatch]::StartNew(); Invoke-Ours $real; $sw.Stop()
        Test-Activated $a
        if ($i -ge 0) { $ours.Add($sw.Elapsed.TotalMilliseconds) }
        Remove-SoftHsmCard -Card $a
        $b = Copy-SoftHsmCard -Card $template
        $sw = [System.Diagnostics.Stopwatch]::StartNew(); Invoke-Tool $b $real; $sw.Stop()
        Test-Activated $b
        if ($i -ge 0) { $tool.Add($sw.Elapsed.TotalMilliseconds) }
        Remove-SoftHsmCard -Card $b
    }
    function Median($v) { $s = @($v | Sort-Object); if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
    $oursMs = Median $ours; $toolMs = Median $tool
    Write-BenchLine "Initialize-EkengPin, both PINs, fresh SoftHSM card (median of $Runs)" ('{0:N1} ms  (in the session; includes discovery and the re-read)' -f $oursMs)
    Write-BenchLine "pkcs11-tool --init-pin --so-pin, both tokens (median of $Runs)" ('{0:N1} ms  (two processes)' -f $toolMs)
    Write-BenchLine 'Wall-time ratio Initialize-EkengPin / pkcs11-tool' ('{0:N2}' -f ($oursMs / $toolMs)) '<= 1'

    # PKCS#11 calls, counted by pkcs11-spy for both.
    if (-not $spy) { Write-BenchLine 'PKCS#11 calls' 'not counted: pkcs11-spy.so not found (opensc)'; return }
    Set-NativeEnvironment PKCS11SPY $real
    try {
        $log = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-pin-spy-$PID.log"
        $counts = @{}
        foreach ($who in 'ours', 'tool') {
            $c = Copy-SoftHsmCard -Card $template
            Remove-Item -LiteralPath $log -ErrorAction Ignore
            Set-NativeEnvironment PKCS11SPY_OUTPUT $log
            if ($who -eq 'ours') { Invoke-Ours $spy } else { Invoke-Tool $c $spy }
            Set-NativeEnvironment PKCS11SPY_OUTPUT $null
            $calls = @(Select-String -LiteralPath $log -Pattern '^\d+: (C_\w+)' | ForEach-Object { $_.Matches[0].Groups[1].Value })
            $counts[$who] = $calls
            Remove-Item -LiteralPath $log   # the spy logs the test PUK and PIN bytes: not kept
            Remove-SoftHsmCard -Card $c
        }
        $summary = { param($calls) ($calls | Group-Object | Sort-Object Count -Descending | ForEach-Object { "$($_.Name)×$($_.Count)" }) -join ' ' }
        Write-BenchLine 'PKCS#11 calls, Initialize-EkengPin (pkcs11-spy)' ("{0}  [{1}]" -f $counts.ours.Count, (& $summary $counts.ours))
        Write-BenchLine 'PKCS#11 calls, pkcs11-tool x2 (pkcs11-spy)' ("{0}  [{1}]" -f $counts.tool.Count, (& $summary $counts.tool))
        Write-BenchLine 'PKCS#11 calls, both activations: ours / pkcs11-tool' ('{0} / {1}' -f $counts.ours.Count, $counts.tool.Count) 'ours <= pkcs11-tool'
        Write-BenchLine 'PKCS#11 call ratio Initialize-EkengPin / pkcs11-tool' ('{0:N2}' -f ($counts.ours.Count / $counts.tool.Count)) '<= 1'
        Write-BenchLine 'C_Initialize / C_Finalize, Initialize-EkengPin' ('{0} / {1}' -f @($counts.ours | Where-Object { $_ -eq 'C_Initialize' }).Count, @($counts.ours | Where-Object { $_ -eq 'C_Finalize' }).Count) '1 / 0 (one process-wide initialisation)'
        if ($counts.ours.Count -gt $counts.tool.Count) { throw "Initialize-EkengPin made $($counts.ours.Count) PKCS#11 calls, more than pkcs11-tool's $($counts.tool.Count)." }
        Write-BenchLine 'C_Login(SO) per token: Initialize-EkengPin / pkcs11-tool' ('{0} / {1}' -f @($counts.ours | Where-Object { $_ -eq 'C_Login' }).Count, @($counts.tool | Where-Object { $_ -eq 'C_Login' }).Count)
    }
    finally {
        Set-NativeEnvironment PKCS11SPY $null
        Set-NativeEnvironment PKCS11SPY_OUTPUT $null
    }
}
finally {
    Remove-SoftHsmCard
}
