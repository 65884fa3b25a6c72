# Shared helpers of the bench scripts.
Set-StrictMode -Version 3

function Measure-Median {
    <#
    .SYNOPSIS
        Runs a script block -Runs times (after -Warmup unmeasured runs) and returns the median wall time in ms.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [int] $Runs = 7, [int] $Warmup = 1)
    for ($i = 0; $i -lt $Warmup; $i++) { & $ScriptBlock | Out-Null }
    $times = for ($i = 0; $i -lt $Runs; $i++) {
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        & $ScriptBlock | Out-Null
        $sw.Stop()
        $sw.Elapsed.TotalMilliseconds
    }
    $sorted = @($times | Sort-Object)
    $mid = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

function Get-PwshCommand {
    <#
    .SYNOPSIS
        The file and leading arguments that start the same PowerShell as the current one (the local dotnet tool
        runs as 'dotnet pwsh.dll').
    #>
    $hostPath = (Get-Process -Id $PID).Path
    if ((Split-Path -Leaf $hostPath) -match '^dotnet(\.exe)?$') { , @($hostPath, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($hostPath) }
}

function Write-BenchLine {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Value, [string] $Goal = '')
    $line = '{0,-58} {1}' -f $Name, $Value
    if ($Goal) { $line += "   (goal: $Goal)" }
    Write-Host $line
}

function Invoke-SandboxWarmUp {
    <#
    .SYNOPSIS
        Warms a sandbox from another PowerShell process (tests/bench/SandboxWarmUp.ps1) with ANOTHER card: a bench that
        times the module's first call then does not count the sandbox's own first requests. The card is a SoftHSM rig
        card the sandbox trusts (its CA among -ClientCa); SOFTHSM2_CONF names it in the child's environment only.
    #>
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [object] $Sandbox, [Parameter(Mandatory)] [object] $Card)
    $pwsh = Get-PwshCommand
    [string[]] $prefix = @($pwsh | Select-Object -Skip 1)
    $saved = $env:SOFTHSM2_CONF
    try {
        $env:SOFTHSM2_CONF = $Card.Conf
        $out = & $pwsh[0] @prefix -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'SandboxWarmUp.ps1') -ModulePath $ModulePath -Crm $Sandbox.Crm -CaFile $Sandbox.CaFile -Pkcs11Module $Card.ModulePath 2>&1
        if ($LASTEXITCODE -ne 0 -or @($out)[-1] -ne 'warm') { throw "The sandbox warm-up failed:`n$($out -join "`n")" }
    }
    finally { $env:SOFTHSM2_CONF = $saved }
}

function Get-Median {
    <# .SYNOPSIS The median of some numbers. #>
    param([double[]] $Values)
    $s = @($Values | Sort-Object)
    $m = [int][math]::Floor($s.Count / 2)
    if ($s.Count % 2) { $s[$m] } else { ($s[$m - 1] + $s[$m]) / 2 }
}

function Write-GoalLine {
    <#
    .SYNOPSIS
        One figure with its goal and verdict: "<name>: <value> <unit> <how> (goal <= 150 ms) PASS".
    #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [double] $Value,
        [Parameter(Mandatory)] [string] $Text,
        [Parameter(Mandatory)] [ValidateSet('<=', '>=')] [string] $Op,
        [Parameter(Mandatory)] [double] $Goal,
        [Parameter(Mandatory)] [string] $GoalText
    )
    $pass = if ($Op -eq '<=') { $Value -le $Goal } else { $Value -ge $Goal }
    Write-Host ('{0}: {1} (goal {2}) {3}' -f $Name, $Text, $GoalText, $(if ($pass) { 'PASS' } else { 'MISS' }))
}

function Get-LoadText {
    <# .SYNOPSIS The machine's load as uptime gives it (Linux), for the bench lines: figures are noisy under load. #>
    if (Test-Path -LiteralPath '/proc/loadavg') { 'load ' + ((Get-Content -LiteralPath '/proc/loadavg' -Raw).Split(' ')[0..2] -join ' ') + " on $([Environment]::ProcessorCount) cores" }
    else { "$([Environment]::ProcessorCount) cores" }
}

Export-ModuleMember -Function Measure-Median, Get-PwshCommand, Write-BenchLine, Invoke-SandboxWarmUp, Get-Median, Write-GoalLine, Get-LoadText
