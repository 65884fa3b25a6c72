<#
.SYNOPSIS
    Foundation figures: the cost of Import-Module as a ratio to a bare pwsh start, and Get-EkengCard latency
    with the rig's virtual card.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$pwsh = Get-PwshCommand
$exe = $pwsh[0]
[string[]] $prefix = @($pwsh | Select-Object -Skip 1)
$module = (Resolve-Path $ModulePath).Path

# Reference: a module with an empty manifest, to show PowerShell's own fixed cost of importing any module.
$empty = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-bench-empty-$PID/Empty"
New-Item -ItemType Directory -Force $empty | Out-Null
Set-Content -LiteralPath (Join-Path $empty 'Empty.psd1') -Value "@{ ModuleVersion = '1.0'; GUID = '$([guid]::NewGuid())'; FunctionsToExport = @(); CmdletsToExport = @() }"

# Bare start, start + empty module, start + Ekeng: interleaved run by run so that all see the same load.
$commands = [ordered]@{ Bare = 'exit'; Empty = "Import-Module '$empty'"; Ekeng = "Import-Module '$module'" }
$times = @{}
foreach ($k in $commands.Keys) { $times[$k] = [System.Collections.Generic.List[double]]::new(); & $exe @prefix -NoProfile -NonInteractive -c $commands[$k] | Out-Null }
$runs = 15
for ($i = 0; $i -lt $runs; $i++) {
    foreach ($k in $commands.Keys) {
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        & $exe @prefix -NoProfile -NonInteractive -c $commands[$k] | Out-Null
        $times[$k].Add($sw.Elapsed.TotalMilliseconds)
    }
}
Remove-Item -Recurse -Force (Split-Path $empty)
function Median($values) { $s = @($values | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }
# Paired: each run's three starts saw the same machine load; the ratios are taken run by run, then their median.
$overBare = for ($i = 0; $i -lt $runs; $i++) { $times.Ekeng[$i] / $times.Bare[$i] }
$overEmpty = for ($i = 0; $i -lt $runs; $i++) { $times.Ekeng[$i] / $times.Empty[$i] }
$emptyOverBare = for ($i = 0; $i -lt $runs; $i++) { $times.Empty[$i] / $times.Bare[$i] }
$bareMs = Median $times.Bare
$emptyMs = Median $times.Empty
$importMs = Median $times.Ekeng
$ratioBare = Median $overBare
$ratioEmpty = Median $overEmpty
Write-BenchLine "pwsh -NoProfile -c exit: bare start (median of $runs)" ('{0:N0} ms' -f $bareMs)
Write-BenchLine "pwsh + Import-Module of an EMPTY manifest module (median)" ('{0:N0} ms  (+{1:N1} % paired: PowerShell''s own cost)' -f $emptyMs, (((Median $emptyOverBare) - 1) * 100))
Write-BenchLine "pwsh + Import-Module Ekeng (median of $runs)" ('{0:N0} ms' -f $importMs)
Write-BenchLine 'Import-Module Ekeng over the bare start (paired median)' ('+{0:N1} % (ratio {1:N3})' -f (($ratioBare - 1) * 100), $ratioBare) '<= +15 %'
Write-BenchLine 'Import-Module Ekeng over an empty module (paired median)' ('{0:+0.0;-0.0} % (ratio {1:N3}, our own share)' -f (($ratioEmpty - 1) * 100), $ratioEmpty) '<= +2 %'

# Get-EkengCard latency against the real pcscd with the virtual card (needs root and the rig packages).
$rigModule = Join-Path $PSScriptRoot '../rigs/PcscRig.psm1'
if ((& id -u) -ne '0' -or -not (Get-Command pcscd -ErrorAction Ignore) -or -not (Test-Path $rigModule)) {
    Write-BenchLine 'Get-EkengCard latency' 'not measured: needs root, pcscd and tests/rigs/PcscRig.psm1'
    return
}
Import-Module $rigModule -Force
Import-Module $module -Force
$rig = Start-PcscRig
try {
    Add-VirtualCard -Rig $rig | Out-Null
    $ms = Measure-Median -Runs 15 -Warmup 2 { Get-EkengCard -WarningAction SilentlyContinue }
    $card = Get-EkengCard -WarningAction SilentlyContinue | Where-Object CardPresent | Select-Object -First 1
    Write-BenchLine 'Get-EkengCard with the virtual card inserted (median of 15)' ('{0:N1} ms  [{1}: {2}]' -f $ms, $card.Reader, $card.Atr)
}
finally {
    Stop-PcscRig -Rig $rig
}
