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

# Bare start and start + import, interleaved run by run so that both see the same machine load.
$bare = [System.Collections.Generic.List[double]]::new()
$import = [System.Collections.Generic.List[double]]::new()
$runs = 9
& $exe @prefix -NoProfile -NonInteractive -c 'exit' | Out-Null   # warm the disk cache
& $exe @prefix -NoProfile -NonInteractive -c "Import-Module '$module'" | Out-Null
for ($i = 0; $i -lt $runs; $i++) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    & $exe @prefix -NoProfile -NonInteractive -c 'exit' | Out-Null
    $bare.Add($sw.Elapsed.TotalMilliseconds)
    $sw.Restart()
    & $exe @prefix -NoProfile -NonInteractive -c "Import-Module '$module'" | Out-Null
    $import.Add($sw.Elapsed.TotalMilliseconds)
}
function Median($values) { $s = @($values | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }
$bareMs = Median $bare
$importMs = Median $import
$ratio = $importMs / $bareMs
Write-BenchLine 'pwsh -NoProfile bare start (median of 9)' ('{0:N0} ms' -f $bareMs)
Write-BenchLine 'pwsh -NoProfile + Import-Module Ekeng (median of 9)' ('{0:N0} ms' -f $importMs)
Write-BenchLine 'Import-Module cost over the bare start' ('+{0:N1} % (ratio {1:N3})' -f (($ratio - 1) * 100), $ratio) '<= +15 %'

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
    $ms = Measure-Median -Runs 15 -Warmup 2 { Get-EkengCard }
    $card = Get-EkengCard | Where-Object CardPresent | Select-Object -First 1
    Write-BenchLine 'Get-EkengCard with the virtual card inserted (median of 15)' ('{0:N1} ms  [{1}: {2}]' -f $ms, $card.Reader, $card.Atr)
}
finally {
    Stop-PcscRig -Rig $rig
}
