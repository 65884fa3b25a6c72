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

Export-ModuleMember -Function Measure-Median, Get-PwshCommand, Write-BenchLine
