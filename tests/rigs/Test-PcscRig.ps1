#requires -Version 7.2
<#
.SYNOPSIS
    Smoke test of the PC/SC rig: private pcscd + vpcd + the virtual card, checked with OpenSC's
    opensc-tool (a child process) and with libpcsclite called from this process.
.EXAMPLE
    cd /work/main; dotnet tool restore; dotnet pwsh -NoProfile -File tests/rigs/Test-PcscRig.ps1
#>
[CmdletBinding()]
param(
    # default: 35963, or the next free pair if a system pcscd's vpcd holds it
    [int]$Port
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'PcscRig.psm1') -Force

$script:passed = 0
$script:failed = 0
function Test-Step([string]$Name, [bool]$Ok, [string]$Detail = '') {
    if ($Ok) { $script:passed++; Write-Host "PASS $Name" }
    else { $script:failed++; Write-Host "FAIL $Name $Detail" }
}
function Invoke-OpenscTool([string[]]$Arguments) {
    $out = & opensc-tool @Arguments 2>&1 | ForEach-Object { "$_" }
    $out -join "`n"
}

$skip = Get-PcscRigSkipReason
if ($skip) {
    Write-Host $skip
    Write-Host '0 passed, 0 failed, 1 skipped'
    exit 0
}

$watch = [System.Diagnostics.Stopwatch]::StartNew()
$dll = Build-VirtualCard
Write-Host ("build/check VirtualCard: {0} ms ({1})" -f $watch.ElapsedMilliseconds, $dll)

$rig = $null
$previousSocket = $env:PCSCLITE_CSOCK_NAME
try {
    $rigArguments = @{}
    if ($PSBoundParameters.ContainsKey('Port')) { $rigArguments.Port = $Port }
    $rig = Start-PcscRig @rigArguments
    $card = Add-VirtualCard -Rig $rig
    $total = $rig.StartMilliseconds + $card.StartMilliseconds
    Write-Host ("Start-PcscRig {0} ms, Add-VirtualCard {1} ms (pcscd pid {2}, card pid {3}, socket {4}, port {5})" -f
        $rig.StartMilliseconds, $card.StartMilliseconds, $rig.PcscdPid, $card.Pid, $rig.SocketPath, $rig.Port)
    Test-Step 'rig + card start < 3 s' ($total -lt 3000) "$total ms"
    Test-Step 'PCSCLITE_CSOCK_NAME exported' ($env:PCSCLITE_CSOCK_NAME -eq $rig.SocketPath)

    # opensc-tool -l (a child process: inherits PCSCLITE_CSOCK_NAME)
    $list = Invoke-OpenscTool @('-l')
    $line = @($list -split "`n" | Where-Object { $_.TrimEnd().EndsWith($rig.ReaderName) })
    Test-Step "opensc-tool -l lists '$($rig.ReaderName)' with a card" ($line.Count -eq 1 -and $line[0] -match '^\s*\d+\s+Yes\s') $list
    $index = if ($line.Count -eq 1 -and $line[0] -match '^\s*(\d+)') { $Matches[1] } else { '0' }

    $atr = Invoke-OpenscTool @('-r', $index, '-a')
    Test-Step 'ATR is the ARMID-like default' ($atr.Trim() -eq '3b:dc:18:ff:81:91:fe:1f:c3:80:73:c8:21:13:66:05:03:63:51:00:02:50') $atr

    # APDUs through OpenSC (it resends on 6Cxx and fetches 61xx with GET RESPONSE by itself)
    $null = Get-VirtualCardEvents -Rig $rig -Clear
    $apdus = Invoke-OpenscTool @('-r', $index, '-c', 'default',
        '-s', '00:A4:04:00:0C:A0:00:00:00:63:50:4B:43:53:2D:31:35',
        '-s', '00:A4:04:00:05:A0:00:00:00:01',
        '-s', '80:CA:9F:7F:00',
        '-s', '00:CA:01:00:00',
        '-s', '00:B0:00:00:05',
        '-s', '00:99:00:00',
        '-s', '12:00:00:00')
    Write-Verbose $apdus
    $events = Get-VirtualCardEvents -Rig $rig
    Test-Step 'SELECT PKCS#15 AID -> 9000' ($events -contains 'APDU 00A404000CA000000063504B43532D3135 -> 9000') ($events -join ' | ')
    Test-Step 'SELECT unknown AID -> 6A82' ($events -contains 'APDU 00A4040005A000000001 -> 6A82')
    Test-Step 'GET DATA serial -> 0123456789ABCDEF 9000' ($events -contains 'APDU 80CA9F7F00 -> 0123456789ABCDEF9000')
    Test-Step 'long response: 61C8 then GET RESPONSE' (($events -contains 'APDU 00CA010000 -> 61C8') -and
        @($events | Where-Object { $_ -match '^APDU 00C00000C8 -> 000102[0-9A-F]+C79000$' }).Count -eq 1)
    Test-Step 'wrong Le: 6C10 then the 16-byte file' (($events -contains 'APDU 00B0000005 -> 6C10') -and
        ($events -contains 'APDU 00B0000010 -> 41524D4944205649525455414C2045469000'))
    Test-Step 'unknown INS 6D00, unknown CLA 6E00' (($events -contains 'APDU 00990000 -> 6D00') -and ($events -contains 'APDU 12000000 -> 6E00'))
    Test-Step 'opensc-tool saw 9000 for the SELECT' ($apdus -match 'SW1=0x90, SW2=0x00')

    $null = Invoke-OpenscTool @('-r', $index, '--reset=warm')
    Test-Step 'warm reset reaches the card' (@(Get-VirtualCardEvents -Rig $rig -Pattern '^RESET$').Count -ge 1)

    # libpcsclite inside this process (native setenv made it use the private socket)
    Test-Step 'in-process SCardListReaders sees the rig reader' ((& {
                $b = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly([System.Reflection.AssemblyName]::new('SmokePcsc'), 'Run')
                $t = $b.DefineDynamicModule('SmokePcsc').DefineType('SmokePcsc', 'Public, Abstract, Sealed, Class')
                # pcsc-lite on Linux: LONG and DWORD are C 'long' (pointer-sized)
                foreach ($s in @(@('SCardEstablishContext', [type[]]@([IntPtr], [IntPtr], [IntPtr], [IntPtr].MakeByRefType())),
                        @('SCardListReaders', [type[]]@([IntPtr], [IntPtr], [byte[]], [IntPtr].MakeByRefType())),
                        @('SCardReleaseContext', [type[]]@([IntPtr])))) {
                    $m = $t.DefinePInvokeMethod($s[0], 'libpcsclite.so.1', 'Public, Static, PinvokeImpl', 'Standard', [IntPtr], $s[1], 'Cdecl', 'Ansi')
                    $m.SetImplementationFlags('PreserveSig')
                }
                $native = $t.CreateType()
                $context = [IntPtr]::Zero
                [void]$native::SCardEstablishContext([IntPtr]2, [IntPtr]::Zero, [IntPtr]::Zero, [ref]$context)
                $length = [IntPtr]4096
                $buffer = [byte[]]::new(4096)
                [void]$native::SCardListReaders($context, [IntPtr]::Zero, $buffer, [ref]$length)
                [void]$native::SCardReleaseContext($context)
                [System.Text.Encoding]::ASCII.GetString($buffer, 0, [int]$length).Split([char]0)
            }) -contains $rig.ReaderName)

    # remove / insert
    $watch.Restart()
    Dismount-VirtualCard -Rig $rig
    $removeMs = $watch.ElapsedMilliseconds
    $list = Invoke-OpenscTool @('-l')
    Test-Step "card removed ($removeMs ms)" (@($list -split "`n" | Where-Object { $_.TrimEnd().EndsWith($rig.ReaderName) -and $_ -match '^\s*\d+\s+No\s' }).Count -eq 1) $list
    Test-Step 'DISCONNECTED event' (@(Get-VirtualCardEvents -Rig $rig -Pattern '^DISCONNECTED$').Count -ge 1)
    $watch.Restart()
    Mount-VirtualCard -Rig $rig
    $insertMs = $watch.ElapsedMilliseconds
    $list = Invoke-OpenscTool @('-l')
    Test-Step "card inserted again ($insertMs ms)" (@($list -split "`n" | Where-Object { $_.TrimEnd().EndsWith($rig.ReaderName) -and $_ -match '^\s*\d+\s+Yes\s' }).Count -eq 1) $list

    # a second card with another ATR in slot 1
    $card2 = Add-VirtualCard -Rig $rig -Slot 1 -Atr '3B:8F:80:01:80:4F:0C:A0:00:00:03:06:03:00:01:00:00:00:00:6A'
    $atr2 = Invoke-OpenscTool @('-r', ([int]$index + 1), '-a')
    Test-Step "slot 1 card with a custom ATR ($($card2.StartMilliseconds) ms)" ($atr2.Trim() -eq '3b:8f:80:01:80:4f:0c:a0:00:00:03:06:03:00:01:00:00:00:00:6a') $atr2
    Remove-VirtualCard -Rig $rig -Slot 1

    # stop
    $pids = @($rig.PcscdPid, $card.Pid, $rig.WatchdogPid)
    Stop-PcscRig -Rig $rig
    Write-Host "Stop-PcscRig $($rig.StopMilliseconds) ms"
    # gone, or a zombie waiting for its new parent to reap it
    $alive = @($pids | Where-Object { (Test-Path "/proc/$_") -and -not ((Get-Content "/proc/$_/status" -TotalCount 3 -ErrorAction Ignore) -match '^State:\s+Z') })
    Test-Step 'pcscd, watchdog and card exited' ($alive.Count -eq 0) ("still alive: $($alive -join ',')")
    Test-Step 'temp directory removed' (-not (Test-Path -LiteralPath $rig.TempDirectory))
    Test-Step 'PCSCLITE_CSOCK_NAME restored' ($env:PCSCLITE_CSOCK_NAME -eq $previousSocket) "now [$env:PCSCLITE_CSOCK_NAME] before [$previousSocket]"
    Stop-PcscRig -Rig $rig
    Test-Step 'Stop-PcscRig is idempotent' ($rig.State -eq 'Stopped')
}
catch {
    $script:failed++
    Write-Host "FAIL unexpected error: $_`n$($_.ScriptStackTrace)"
}
finally {
    if ($rig) { Stop-PcscRig -Rig $rig }
}

Write-Host "$script:passed passed, $script:failed failed, 0 skipped"
exit ([int]($script:failed -gt 0))
