#requires -Version 7.2
<#
.SYNOPSIS
    The PC/SC rig: a private pcscd with vsmartcard's vpcd reader and our virtual ARMID-like card.

.DESCRIPTION
    Real components, started and stopped by pid, on loopback only:

      pcscd --foreground --info -c <tmp>/reader.conf     (one vpcd reader: "<ReaderName> 00 00" on TCP
                                                          <Port>, "<ReaderName> 00 01" on <Port>+1)
      dotnet VirtualCard.dll --port <Port> ...            (tests/rigs/VirtualCard: a TCP client of vpcd
                                                          on 127.0.0.1; one event line per event on stdout)

    Facts found by experiment (pcsc-lite 1.9.9, Debian 12, vsmartcard-vpcd 3.3):
    - PCSCLITE_CSOCK_NAME is honoured by the CLIENT library (libpcsclite.so.1: getSocketName() reads it
      and caches it for the life of the process on first use) but NOT by pcscd, which always binds
      /run/pcscd/pcscd.comm. pcscd does accept a listening socket from systemd socket activation
      (LISTEN_FDS=1, LISTEN_PID=<its pid>, fd 3, sd_listen_fds): started that way it serves whatever
      path that socket has, skips its "another pcscd is running" check, and leaves a system pcscd's
      /run/pcscd/pcscd.comm alone. So the rig creates the socket itself (a few lines of Perl; Perl is
      a dependency of pcsc-tools) and execs pcscd with it: the rig's pcscd coexists with a system one.
    - Side effect: even socket-activated, pcscd writes /run/pcscd/pcscd.pid and deletes it at exit.
      The rig saves a pre-existing pid file and puts it back (after start and after stop).
    - .NET keeps its own copy of the environment: $env:X = ... reaches child processes but NOT
      getenv() inside this process, and a native setenv() does not reach children. Start-PcscRig
      therefore sets PCSCLITE_CSOCK_NAME in both (native setenv through a P/Invoke emitted at run
      time; Add-Type would cost > 1 s). libpcsclite loaded in this process sees it provided it had
      not been used before the first Start-PcscRig: the socket path is the same for every rig of one
      process (<temp>/ekeng-pcscrig-<PID>/pcscd.comm) because of that caching.
    - vpcd listens on all interfaces (DEVICENAME /dev/null:<port>; a host name there would make vpcd
      connect OUT to the card instead); the card only ever connects to 127.0.0.1.
    - pcscd needs root (it writes /run/pcscd). Not root and CI is not 'true': the rig throws an error
      whose message starts with 'RIG-SKIP:' (see Get-PcscRigSkipReason). With CI=true it never skips
      (tests/TestRun.psm1's skip rule).
    - A watchdog (forked by the Perl starter, a child of pcscd) stops pcscd when the process that
      started the rig dies; the card gets --parent-pid and exits too. Nothing outlives a crashed run.
#>

Set-StrictMode -Version 3.0

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$script:VirtualCardProject = Join-Path $PSScriptRoot 'VirtualCard'
$script:DefaultVirtualCardOut = Join-Path $script:RepoRoot 'out/rigs/VirtualCard'
$script:VirtualCardDll = $null
$script:Rigs = [System.Collections.Generic.List[object]]::new()
$script:PingCounter = 0
$script:SystemPidFile = '/run/pcscd/pcscd.pid'
$script:SkipPrefix = 'RIG-SKIP:'

# Creates the listening socket, forks the watchdog, then becomes pcscd (socket activation).
# argv: <socket path> <log file> <watchdog pid file> <rig pid> <pcscd> <pcscd args...>
$script:Starter = @'
use strict; use warnings; use Socket; use IO::Socket::UNIX; use POSIX ();
BEGIN { $^F = 3 }  # descriptors 0..3 survive exec
my ($sock, $log, $dogfile, $rig, @cmd) = @ARGV;
open(STDIN, '<', '/dev/null') or die "stdin: $!";
open(STDOUT, '>>', $log) or die "open $log: $!";
open(STDERR, '>&', \*STDOUT) or die "stderr: $!";
$| = 1;
unlink $sock;
my $listener = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $sock, Listen => 128)
    or die "listen on $sock: $!";
chmod 0666, $sock;
if (fileno($listener) != 3) { POSIX::dup2(fileno($listener), 3) or die "dup2: $!"; }
my $pcscd = $$;
my $dog = fork();
die "fork: $!" unless defined $dog;
if ($dog == 0) {
    $0 = 'pcscrig-watchdog';
    POSIX::close(3); close($listener);
    # alive = exists and is not a zombie (a killed process stays one until its parent reaps it)
    my $alive = sub {
        my $p = shift;
        return 0 unless kill(0, $p);
        open(my $st, '<', "/proc/$p/stat") or return 0;
        my $line = <$st>; close($st);
        return (defined $line && $line =~ /\)\s+Z\s/) ? 0 : 1;
    };
    while (1) {
        select(undef, undef, undef, 0.25);
        exit 0 if getppid() != $pcscd || !$alive->($pcscd);  # pcscd is gone: nothing to guard
        next if $alive->($rig);                             # the rig's process is alive
        print "pcscrig-watchdog: process $rig is gone, stopping pcscd $pcscd\n";
        kill('TERM', $pcscd);
        for (1 .. 20) { select(undef, undef, undef, 0.25); exit 0 if getppid() != $pcscd || !$alive->($pcscd); }
        kill('KILL', $pcscd);
        exit 0;
    }
}
open(my $fh, '>', $dogfile) or die "open $dogfile: $!"; print $fh "$dog\n"; close($fh);
$ENV{LISTEN_FDS} = 1; $ENV{LISTEN_PID} = $$;
exec { $cmd[0] } @cmd or die "exec $cmd[0]: $!";
'@

#region private helpers

Import-Module (Join-Path $PSScriptRoot 'RigNative.psm1')
Import-Module (Join-Path $PSScriptRoot '../TestRun.psm1')

function Get-VpcdDriverPath {
    foreach ($conf in @(Get-ChildItem -Path '/etc/reader.conf.d' -File -ErrorAction SilentlyContinue)) {
        foreach ($line in @(Get-Content -LiteralPath $conf.FullName -ErrorAction SilentlyContinue)) {
            if ($line -match '^\s*LIBPATH\s+(\S*libifdvpcd\S*)' -and (Test-Path -LiteralPath $Matches[1])) { return $Matches[1] }
        }
    }
    $candidates = @('/usr/lib/pcsc/drivers/serial/libifdvpcd.so', '/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so',
        '/usr/lib64/pcsc/drivers/serial/libifdvpcd.so')
    foreach ($candidate in $candidates) { if (Test-Path -LiteralPath $candidate) { return $candidate } }
    $null
}

function Get-RigProblem {
    # Why the rig cannot run here, or $null.
    if (-not $IsLinux) { return 'the PC/SC rig runs on Linux only (pcscd + vsmartcard vpcd)' }
    if (-not [System.Environment]::IsPrivilegedProcess) {
        return 'not root: the rig''s pcscd must run as root (it writes /run/pcscd/pcscd.pid)'
    }
    $missing = @(
        if (-not (Get-CommandPath 'pcscd')) { 'pcscd (apt: pcscd)' }
        if (-not (Get-VpcdDriverPath)) { 'libifdvpcd.so (apt: vsmartcard-vpcd)' }
        if (-not (Get-CommandPath 'perl')) { 'perl' }
        if (-not (Get-CommandPath 'opensc-tool')) { 'opensc-tool (apt: opensc)' }
    )
    if ($missing.Count -gt 0) { return "missing: $($missing -join ', ')" }
    $null
}

function Test-TcpPortFree([int]$Port) {
    # vpcd binds INADDR_ANY:<port>; a bind test on the same address tells whether it can.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, $Port)
    try { $listener.Start(); $true } catch [System.Net.Sockets.SocketException] { $false } finally { $listener.Stop() }
}

function Get-RigTempRoot {
    $tmp = [System.IO.Path]::GetTempPath()
    if ($tmp.Length -gt 60) { $tmp = '/tmp/' } # a unix socket path has at most 107 bytes
    $tmp
}

function Remove-StaleRigDirectory {
    # <temp>/ekeng-pcscrig-<pid> of processes that are gone (their watchdog has stopped their pcscd).
    foreach ($dir in @(Get-ChildItem -Path (Get-RigTempRoot) -Directory -Filter 'ekeng-pcscrig-*' -ErrorAction SilentlyContinue)) {
        if ($dir.Name -match '^ekeng-pcscrig-(\d+)$' -and [int]$Matches[1] -ne $PID -and -not (Test-ProcessAlive ([int]$Matches[1]))) {
            Remove-Item -LiteralPath $dir.FullName -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

function Read-TextFile([string]$Path) {
    # pcscd writes its log while we read it.
    try {
        $stream = [System.IO.FileStream]::new($Path, 'Open', 'Read', 'ReadWrite, Delete')
        try { [System.IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
    }
    catch [System.IO.IOException] { '' }
}

function Get-ReaderCardState([object]$Rig, [string]$Reader) {
    # 'Yes', 'No' or $null (reader not listed), as pcscd reports it right now (opensc-tool -l:
    # SCardGetStatusChange, no connection, so no APDU reaches the card).
    $psi = [System.Diagnostics.ProcessStartInfo]::new($Rig.OpenscTool)
    $psi.ArgumentList.Add('-l')
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['PCSCLITE_CSOCK_NAME'] = $Rig.SocketPath
    $process = [System.Diagnostics.Process]::Start($psi)
    try {
        $errTask = $process.StandardError.ReadToEndAsync()
        $out = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [void]$errTask.Wait(1000)
    }
    finally { $process.Dispose() }
    foreach ($line in $out -split "`n") {
        if ($line -match '^\s*\d+\s+(Yes|No)\s+.*$' -and $line.TrimEnd().EndsWith($Reader, [System.StringComparison]::Ordinal)) {
            return $Matches[1]
        }
    }
    $null
}

function Wait-ReaderCardState([object]$Rig, [string]$Reader, [string]$State, [int]$TimeoutMilliseconds) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $now = Get-ReaderCardState $Rig $Reader
        if ($now -eq $State) { return }
        if ($watch.ElapsedMilliseconds -gt $TimeoutMilliseconds) {
            throw "PcscRig: reader '$Reader' still reports card present=$now after $TimeoutMilliseconds ms (wanted $State)."
        }
        Start-Sleep -Milliseconds 25
    }
}

function Update-CardEvent([object]$Card, [int]$WaitMilliseconds = 0) {
    # Moves the lines the card has printed into $Card.Events; waits up to WaitMilliseconds for one more.
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($null -ne $Card.PendingRead) {
        $task = $Card.PendingRead
        if (-not $task.IsCompleted) {
            $left = $WaitMilliseconds - [int]$watch.ElapsedMilliseconds
            if ($left -le 0 -or -not ([System.Threading.Tasks.Task]$task).Wait($left)) { return }
        }
        if ($task.IsFaulted -or $task.IsCanceled -or $null -eq $task.Result) { $Card.PendingRead = $null; return }
        $line = $task.Result
        if ($line -match '^PONG (\d+)$') { [void]$Card.Pongs.Add([int]$Matches[1]) } else { $Card.Events.Add($line) }
        $Card.PendingRead = $Card.Process.StandardOutput.ReadLineAsync()
        $WaitMilliseconds = 0 # got something: afterwards only drain what is already there
    }
}

function Wait-CardEventIndex([object]$Card, [string]$Pattern, [int]$From, [int]$TimeoutMilliseconds) {
    # Index (>= From) of the first event matching Pattern; throws with the card's story on timeout.
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        for ($i = $From; $i -lt $Card.Events.Count; $i++) {
            if ($Card.Events[$i] -match $Pattern) { return $i }
        }
        $left = $TimeoutMilliseconds - [int]$watch.ElapsedMilliseconds
        if ($left -le 0 -or ($null -eq $Card.PendingRead)) {
            $stderr = if ($Card.Process.HasExited) { " exit code $($Card.Process.ExitCode); stderr: $($Card.StderrTask.Result)" } else { '' }
            throw "PcscRig: the virtual card (pid $($Card.Pid)) did not print /$Pattern/ within $TimeoutMilliseconds ms.$stderr Events: $(@($Card.Events) -join ' | ')"
        }
        Update-CardEvent $Card ([Math]::Min($left, 100))
    }
}

function Send-CardCommand([object]$Card, [string]$Command) {
    if ($Card.Process.HasExited) { throw "PcscRig: the virtual card (pid $($Card.Pid)) has exited ($($Card.Process.ExitCode))." }
    $Card.Process.StandardInput.WriteLine($Command)
    $Card.Process.StandardInput.Flush()
}

function Sync-CardEvent([object]$Card) {
    # Barrier: every event the card printed before it answers this ping is in $Card.Events afterwards.
    if ($Card.Process.HasExited -or $null -eq $Card.PendingRead) { Update-CardEvent $Card 200; return }
    $n = ++$script:PingCounter
    Send-CardCommand $Card "ping $n"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not $Card.Pongs.Contains($n) -and $null -ne $Card.PendingRead -and $watch.ElapsedMilliseconds -lt 3000) {
        Update-CardEvent $Card 100
    }
    [void]$Card.Pongs.Remove($n)
}

function Get-RigCard([object]$Rig, [int]$Slot) {
    Assert-RigRunning $Rig
    $card = $Rig.Cards[$Slot]
    if ($null -eq $card) { throw "PcscRig: no virtual card in slot $Slot ($($Rig.ReaderNames[$Slot])); use Add-VirtualCard." }
    $card
}

function Assert-RigRunning([object]$Rig) {
    if ($null -eq $Rig -or $Rig.PSObject.TypeNames -notcontains 'Ekeng.PcscRig') { throw 'PcscRig: -Rig must be the object Start-PcscRig returned.' }
    if ($Rig.State -ne 'Running') { throw "PcscRig: the rig on port $($Rig.Port) is $($Rig.State)." }
}

function Stop-CardProcess([object]$Card) {
    $process = $Card.Process
    if (-not $process.HasExited) {
        try { Send-CardCommand $Card 'quit' } catch { Write-Verbose "quit: $_" }
        if (-not $process.WaitForExit(3000)) {
            Send-Signal $process.Id 15
            if (-not $process.WaitForExit(2000)) { $process.Kill(); [void]$process.WaitForExit(2000) }
        }
    }
    Update-CardEvent $Card 200
    try { $process.StandardInput.Dispose() } catch { Write-Verbose "stdin: $_" }
    $Card.State = 'Stopped'
    $process.Dispose()
}

#endregion

function Get-PcscRigSkipReason {
    <#
    .SYNOPSIS
        Why the PC/SC rig cannot run on this machine ('SKIPPED: ...'), or $null if it can; through
        tests/TestRun.psm1's skip rule (with CI=true a problem throws: in CI the rig must run).
    .EXAMPLE
        It 'sees the card' -Skip:([bool](Get-PcscRigSkipReason)) { ... }
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    Resolve-SkipReason (Get-RigProblem)
}

function Build-VirtualCard {
    <#
    .SYNOPSIS
        Builds tests/rigs/VirtualCard once (dotnet build -c Release -o <OutputPath>) and returns the dll path.
        Skips the build when the dll is newer than every source file, unless -Force.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string]$OutputPath = $script:DefaultVirtualCardOut,
        [switch]$Force
    )
    $dll = Join-Path $OutputPath 'VirtualCard.dll'
    if (-not $Force -and $script:VirtualCardDll -eq $dll -and (Test-Path -LiteralPath $dll)) { return $dll }
    $sources = @(Get-ChildItem -LiteralPath $script:VirtualCardProject -Recurse -File -Include '*.cs', '*.csproj' |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    $sources += @(Get-Item -LiteralPath (Join-Path $script:RepoRoot 'Directory.Build.props') -ErrorAction SilentlyContinue)
    $newest = ($sources | Measure-Object -Property LastWriteTimeUtc -Maximum).Maximum
    if ($Force -or -not (Test-Path -LiteralPath $dll) -or (Get-Item -LiteralPath $dll).LastWriteTimeUtc -lt $newest) {
        $dotnet = Get-DotnetPath
        $project = Join-Path $script:VirtualCardProject 'VirtualCard.csproj'
        Write-Verbose "Building $project -> $OutputPath"
        # --disable-build-servers: no MSBuild node or compiler server outlives the build.
        $output = & $dotnet build $project -c Release -o $OutputPath --nologo -v quiet --disable-build-servers 2>&1
        if ($LASTEXITCODE -ne 0) { throw "PcscRig: building VirtualCard failed ($LASTEXITCODE):`n$($output -join "`n")" }
    }
    $script:VirtualCardDll = $dll
    $dll
}

function Start-PcscRig {
    <#
    .SYNOPSIS
        Starts a private pcscd (root) with one vpcd reader and returns the rig object.
    .DESCRIPTION
        Readers: "<ReaderName> 00 00" (vpcd on TCP <Port>) and "<ReaderName> 00 01" (<Port>+1).
        Socket: <temp>/ekeng-pcscrig-<PID>/pcscd.comm, exported as PCSCLITE_CSOCK_NAME to this process
        (native and .NET environment) and so to its children. One rig per process at a time.
        If -Port is not given and 35963/35964 are taken (e.g. a system pcscd reading
        /etc/reader.conf.d/vpcd), the next free pair 35965.. is used; with -Port given that is an error.
        Not root (and CI is not 'true'): throws 'RIG-SKIP: ...'.
        -NoReader: pcscd with an empty reader.conf (ReaderNames empty), for "no reader" tests.
    .OUTPUTS
        Ekeng.PcscRig: Port, ReaderName, ReaderNames, SocketPath, PcscdPid, WatchdogPid, LogPath,
        ConfigPath, TempDirectory, StartMilliseconds, State, Cards (slot -> card).
    #>
    [CmdletBinding()]
    [OutputType('Ekeng.PcscRig')]
    param(
        [ValidateRange(1024, 65534)]
        [int]$Port = 35963,
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9 ._-]{0,59}$')]
        [string]$ReaderName = 'Ekeng Virtual PCD',
        [ValidateRange(1, 60)]
        [int]$TimeoutSeconds = 5,
        # A pcscd that serves no reader at all (an empty reader.conf): the machine with no reader attached.
        [switch]$NoReader
    )
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $problem = Get-RigProblem
    if ($problem) {
        if (Test-NoSkipRun) { throw "PcscRig cannot start (CI=true, so this is a failure, not a skip): $problem" }
        throw "$script:SkipPrefix $problem"
    }
    $running = @($script:Rigs | Where-Object State -EQ 'Running')
    if ($running.Count -gt 0) {
        throw "PcscRig: a rig is already running in this process (port $($running[0].Port), pcscd pid $($running[0].PcscdPid)); Stop-PcscRig it first."
    }

    if (-not ((Test-TcpPortFree $Port) -and (Test-TcpPortFree ($Port + 1)))) {
        $busy = $Port
        if ($PSBoundParameters.ContainsKey('Port')) {
            throw "PcscRig: TCP port $Port or $($Port + 1) is in use (another pcscd with vpcd readers, e.g. a system pcscd reading /etc/reader.conf.d/vpcd, or another rig). Choose another -Port."
        }
        $free = 0 # ($Port itself is validated: it cannot hold 0)
        for ($candidate = $busy + 2; $candidate -le [Math]::Min($busy + 40, 65534); $candidate += 2) {
            if ((Test-TcpPortFree $candidate) -and (Test-TcpPortFree ($candidate + 1))) { $free = $candidate; break }
        }
        if ($free -eq 0) { throw "PcscRig: no free TCP port pair from $busy to $($busy + 41)." }
        $Port = $free
        Write-Verbose "PcscRig: ports $busy/$($busy + 1) are taken; using $Port/$($Port + 1)."
    }

    Remove-StaleRigDirectory
    $dir = Join-Path (Get-RigTempRoot) "ekeng-pcscrig-$PID"
    if (Test-Path -LiteralPath $dir) { Remove-Item -LiteralPath $dir -Recurse -Force }
    [void](New-Item -ItemType Directory -Path $dir)
    $socket = Join-Path $dir 'pcscd.comm'
    $config = Join-Path $dir 'reader.conf'
    $log = Join-Path $dir 'pcscd.log'
    $dogFile = Join-Path $dir 'watchdog.pid'
    $hexPort = '0x{0:X4}' -f $Port
    $readerLines = if ($NoReader) { @('# PcscRig (tests/rigs/PcscRig.psm1): no reader') } else {
        @(
            "# PcscRig (tests/rigs/PcscRig.psm1): one vpcd reader, slots on TCP $Port and $($Port + 1)",
            "FRIENDLYNAME `"$ReaderName`"",
            "DEVICENAME   /dev/null:$hexPort",
            "LIBPATH      $(Get-VpcdDriverPath)",
            "CHANNELID    $hexPort"
        )
    }
    Set-Content -LiteralPath $config -Encoding ascii -Value $readerLines

    $systemPid = if (Test-Path -LiteralPath $script:SystemPidFile) { [System.IO.File]::ReadAllText($script:SystemPidFile) } else { $null }

    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-CommandPath 'perl'))
    foreach ($a in @('-e', $script:Starter, $socket, $log, $dogFile, "$PID", (Get-CommandPath 'pcscd'), '--foreground', '--info', '-c', $config)) {
        $psi.ArgumentList.Add($a)
    }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true # the starter reopens stdin/stdout/stderr itself
    $psi.Environment.Remove('LISTEN_FDS') | Out-Null
    $psi.Environment.Remove('LISTEN_PID') | Out-Null
    $pcscd = [System.Diagnostics.Process]::Start($psi)

    $rig = [pscustomobject]@{
        PSTypeName          = 'Ekeng.PcscRig'
        Port                = $Port
        ReaderName          = "$ReaderName 00 00"
        ReaderNames         = $(if ($NoReader) { @() } else { @("$ReaderName 00 00", "$ReaderName 00 01") })
        SocketPath          = $socket
        PcscdPid            = $pcscd.Id
        WatchdogPid         = 0
        LogPath             = $log
        ConfigPath          = $config
        TempDirectory       = $dir
        StartMilliseconds   = 0
        StopMilliseconds    = 0
        State               = 'Starting'
        Cards               = @{}
        OpenscTool          = (Get-CommandPath 'opensc-tool')
        PcscdProcess        = $pcscd
        PreviousSocketEnv   = [System.Environment]::GetEnvironmentVariable('PCSCLITE_CSOCK_NAME')
        SystemPidFileBackup = $systemPid
    }
    $script:Rigs.Add($rig)
    try {
        $deadline = [System.Diagnostics.Stopwatch]::StartNew()
        while ($true) {
            if ((Read-TextFile $log) -match 'daemon ready') { break }
            if ($pcscd.HasExited) { throw "PcscRig: pcscd exited with $($pcscd.ExitCode) while starting. Log:`n$(Read-TextFile $log)" }
            if ($deadline.Elapsed.TotalSeconds -gt $TimeoutSeconds) { throw "PcscRig: pcscd not ready after $TimeoutSeconds s. Log:`n$(Read-TextFile $log)" }
            Start-Sleep -Milliseconds 10
        }
        if (Test-Path -LiteralPath $dogFile) { $rig.WatchdogPid = [int]([System.IO.File]::ReadAllText($dogFile).Trim()) }
        if ($null -ne $systemPid) { [System.IO.File]::WriteAllText($script:SystemPidFile, $systemPid) }
        Set-ProcessEnvironment 'PCSCLITE_CSOCK_NAME' $socket
        $rig.State = 'Running'
        $rig.StartMilliseconds = [int]$watch.ElapsedMilliseconds
        $rig
    }
    catch {
        $rig.State = 'Running' # let Stop-PcscRig clean up what exists
        Stop-PcscRig -Rig $rig
        throw
    }
}

function Add-VirtualCard {
    <#
    .SYNOPSIS
        Starts the virtual card (dotnet VirtualCard.dll) in a slot of the rig's reader and waits until
        pcscd reports it present (powered, ATR read). Returns the card object.
    .OUTPUTS
        Ekeng.VirtualCard: Slot, ReaderName, Pid, Atr, Aid, Serial, State, StartMilliseconds.
    #>
    [CmdletBinding()]
    [OutputType('Ekeng.VirtualCard')]
    param(
        [Parameter(Mandatory)] [object]$Rig,
        [ValidateRange(0, 1)] [int]$Slot = 0,
        [ValidatePattern('^([0-9A-Fa-f]{2}[: ]?)+$')] [string]$Atr,
        [ValidatePattern('^([0-9A-Fa-f]{2}[: ]?)+$')] [string]$Aid,
        [ValidatePattern('^([0-9A-Fa-f]{2}[: ]?)+$')] [string]$Serial,
        [ValidateRange(1, 60)] [int]$TimeoutSeconds = 5
    )
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    Assert-RigRunning $Rig
    if ($null -ne $Rig.Cards[$Slot]) { throw "PcscRig: slot $Slot already has a virtual card (pid $($Rig.Cards[$Slot].Pid)); Remove-VirtualCard first." }
    $dll = Build-VirtualCard
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-DotnetPath))
    $arguments = @($dll, '--port', "$($Rig.Port + $Slot)", '--parent-pid', "$PID")
    if ($Atr) { $arguments += '--atr', $Atr }
    if ($Aid) { $arguments += '--aid', $Aid }
    if ($Serial) { $arguments += '--serial', $Serial }
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($psi)
    $process.StandardInput.AutoFlush = $true
    $card = [pscustomobject]@{
        PSTypeName        = 'Ekeng.VirtualCard'
        Slot              = $Slot
        ReaderName        = $Rig.ReaderNames[$Slot]
        Pid               = $process.Id
        Atr               = if ($Atr) { $Atr } else { 'default' }
        Aid               = if ($Aid) { $Aid } else { 'default' }
        Serial            = if ($Serial) { $Serial } else { 'default' }
        State             = 'Starting'
        StartMilliseconds = 0
        Events            = [System.Collections.Generic.List[string]]::new()
        Pongs             = [System.Collections.Generic.HashSet[int]]::new()
        Process           = $process
        PendingRead       = $process.StandardOutput.ReadLineAsync()
        StderrTask        = $process.StandardError.ReadToEndAsync()
    }
    $Rig.Cards[$Slot] = $card
    try {
        $timeout = $TimeoutSeconds * 1000
        $connected = Wait-CardEventIndex $card '^CONNECTED$' 0 $timeout
        $powered = Wait-CardEventIndex $card '^POWER_ON$' $connected $timeout
        [void](Wait-CardEventIndex $card '^ATR$' $powered $timeout)
        Wait-ReaderCardState $Rig $card.ReaderName 'Yes' $timeout
        $card.State = 'Inserted'
        $card.StartMilliseconds = [int]$watch.ElapsedMilliseconds
        $card
    }
    catch {
        $Rig.Cards.Remove($Slot)
        Stop-CardProcess $card
        throw
    }
}

function Dismount-VirtualCard {
    <#
    .SYNOPSIS
        Pulls the virtual card out of the reader (closes its vpcd connection; the program keeps running)
        and waits until pcscd reports the slot empty (unless -NoWait).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [object]$Rig,
        [ValidateRange(0, 1)] [int]$Slot = 0,
        [switch]$NoWait,
        [ValidateRange(1, 60)] [int]$TimeoutSeconds = 5
    )
    $card = Get-RigCard $Rig $Slot
    Update-CardEvent $card
    $from = $card.Events.Count
    Send-CardCommand $card 'remove'
    $card.State = 'Removed'
    if ($NoWait) { return }
    [void](Wait-CardEventIndex $card '^DISCONNECTED$' $from ($TimeoutSeconds * 1000))
    Wait-ReaderCardState $Rig $card.ReaderName 'No' ($TimeoutSeconds * 1000)
}

function Mount-VirtualCard {
    <#
    .SYNOPSIS
        Puts the virtual card back into the reader (reconnects to vpcd) and waits until pcscd reports
        it present again (unless -NoWait).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [object]$Rig,
        [ValidateRange(0, 1)] [int]$Slot = 0,
        [switch]$NoWait,
        [ValidateRange(1, 60)] [int]$TimeoutSeconds = 5
    )
    $card = Get-RigCard $Rig $Slot
    Update-CardEvent $card
    $from = $card.Events.Count
    Send-CardCommand $card 'insert'
    if ($NoWait) { $card.State = 'Inserted'; return }
    $timeout = $TimeoutSeconds * 1000
    $connected = Wait-CardEventIndex $card '^CONNECTED$' $from $timeout
    $powered = Wait-CardEventIndex $card '^POWER_ON$' $connected $timeout
    [void](Wait-CardEventIndex $card '^ATR$' $powered $timeout)
    Wait-ReaderCardState $Rig $card.ReaderName 'Yes' $timeout
    $card.State = 'Inserted'
}

function Remove-VirtualCard {
    <#
    .SYNOPSIS
        Stops the virtual card program of a slot (the card leaves the reader for good) and waits until
        pcscd reports the slot empty (unless -NoWait). Returns nothing; no error if the slot is empty.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [object]$Rig,
        [ValidateRange(0, 1)] [int]$Slot = 0,
        [switch]$NoWait
    )
    $card = $Rig.Cards[$Slot]
    if ($null -eq $card) { return }
    $Rig.Cards.Remove($Slot)
    Stop-CardProcess $card
    if (-not $NoWait -and $Rig.State -eq 'Running') { Wait-ReaderCardState $Rig $card.ReaderName 'No' 5000 }
}

function Get-VirtualCardEvents {
    <#
    .SYNOPSIS
        The event lines the virtual card printed so far (oldest first): CONNECTED, POWER_ON, POWER_OFF,
        RESET, ATR (every presence poll, ~2.5/s), 'APDU <C-APDU hex> -> <R-APDU hex>', DISCONNECTED,
        CONTROL xx, CONNECT_FAILED ..., PARENT_EXITED ....
        Every event printed before the call is included (a ping/pong barrier with the card).
    .PARAMETER Pattern
        Only lines matching this regular expression (e.g. '^APDU 00A404', '^RESET$').
    .PARAMETER Clear
        Forget the returned events afterwards (the next call returns only newer ones).
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param(
        [Parameter(Mandatory)] [object]$Rig,
        [ValidateRange(0, 1)] [int]$Slot = 0,
        [string]$Pattern,
        [switch]$Clear
    )
    $card = Get-RigCard $Rig $Slot
    Sync-CardEvent $card
    $events = $card.Events.ToArray()
    if ($Clear) { $card.Events.Clear() }
    if ($Pattern) { $events = @($events | Where-Object { $_ -match $Pattern }) }
    $events
}

function Wait-VirtualCardEvent {
    <#
    .SYNOPSIS
        Waits until the card prints an event matching Pattern (looking at events from index -From on,
        default: all so far) and returns that line; throws after -TimeoutSeconds.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [object]$Rig,
        [Parameter(Mandatory)] [string]$Pattern,
        [ValidateRange(0, 1)] [int]$Slot = 0,
        [ValidateRange(0, [int]::MaxValue)] [int]$From = 0,
        [ValidateRange(1, 60)] [int]$TimeoutSeconds = 5
    )
    $card = Get-RigCard $Rig $Slot
    $index = Wait-CardEventIndex $card $Pattern $From ($TimeoutSeconds * 1000)
    $card.Events[$index]
}

function Stop-PcscRig {
    <#
    .SYNOPSIS
        Stops the rig's virtual cards and pcscd by pid, waits for them to exit, restores
        PCSCLITE_CSOCK_NAME and a system pcscd's pid file, removes the temp directory. Idempotent.
        Without -Rig: stops every rig this module started in this process.
    #>
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)] [object]$Rig
    )
    process {
        $targets = if ($null -ne $Rig) { @($Rig) } else { @($script:Rigs) }
        foreach ($r in $targets) {
            if ($r.State -eq 'Stopped') { continue }
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $r.State = 'Stopping'
            foreach ($slot in @($r.Cards.Keys)) { Remove-VirtualCard -Rig $r -Slot $slot -NoWait }
            $pcscd = $r.PcscdProcess
            if (-not $pcscd.HasExited) {
                Send-Signal $pcscd.Id 15
                if (-not $pcscd.WaitForExit(5000)) { $pcscd.Kill(); [void]$pcscd.WaitForExit(2000) }
            }
            try { $pcscd.StandardInput.Dispose() } catch { Write-Verbose "stdin: $_" }
            $pcscd.Dispose()
            if ($r.WatchdogPid -gt 0 -and (Test-ProcessAlive $r.WatchdogPid)) {
                # it exits by itself within 250 ms of pcscd's exit; TERM makes it immediate
                $cmdline = try { [System.IO.File]::ReadAllText("/proc/$($r.WatchdogPid)/cmdline") } catch { '' }
                if ($cmdline.StartsWith('pcscrig-watchdog')) { Send-Signal $r.WatchdogPid 15 }
                $wait = [System.Diagnostics.Stopwatch]::StartNew()
                while ((Test-ProcessAlive $r.WatchdogPid) -and $wait.ElapsedMilliseconds -lt 1000) { Start-Sleep -Milliseconds 10 }
            }
            # pcscd deleted /run/pcscd/pcscd.pid at exit: put back a system pcscd's, drop a stale one of ours.
            if ($null -ne $r.SystemPidFileBackup) {
                if (-not (Test-Path -LiteralPath $script:SystemPidFile) -or [System.IO.File]::ReadAllText($script:SystemPidFile) -ne $r.SystemPidFileBackup) {
                    [void](New-Item -ItemType Directory -Path (Split-Path $script:SystemPidFile) -Force)
                    [System.IO.File]::WriteAllText($script:SystemPidFile, $r.SystemPidFileBackup)
                }
            }
            elseif ((Test-Path -LiteralPath $script:SystemPidFile) -and [System.IO.File]::ReadAllText($script:SystemPidFile).Trim() -eq "$($r.PcscdPid)") {
                Remove-Item -LiteralPath $script:SystemPidFile -Force -ErrorAction SilentlyContinue
            }
            if ([System.Environment]::GetEnvironmentVariable('PCSCLITE_CSOCK_NAME') -eq $r.SocketPath) {
                Set-ProcessEnvironment 'PCSCLITE_CSOCK_NAME' $r.PreviousSocketEnv
            }
            Remove-Item -LiteralPath $r.TempDirectory -Recurse -Force -ErrorAction SilentlyContinue
            $r.State = 'Stopped'
            $r.StopMilliseconds = [int]$watch.ElapsedMilliseconds
            [void]$script:Rigs.Remove($r)
        }
    }
}

$ExecutionContext.SessionState.Module.OnRemove = { Stop-PcscRig }

Export-ModuleMember -Function Get-PcscRigSkipReason, Build-VirtualCard, Start-PcscRig, Stop-PcscRig,
    Add-VirtualCard, Remove-VirtualCard, Dismount-VirtualCard, Mount-VirtualCard,
    Get-VirtualCardEvents, Wait-VirtualCardEvent
