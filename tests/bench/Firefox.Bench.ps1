<#
.SYNOPSIS
    Set-FirefoxCryptoModule over 1,000 generated profiles against NSS's own tool, 'modutil -add', once per profile.
.DESCRIPTION
    The profiles are real NSS databases (certutil -N, copied 1,000 times) listed in a profiles.ini of a temp HOME.
    Both sides register SoftHSM2 as the module; both start from the same fresh files each run (reset not timed, and
    flushed to disk with sync(1) before the clock starts, so that neither side pays for writing the reset's files).
    Set-FirefoxCryptoModule writes several profiles at once and they share their syncs (a syncfs of the filesystem that
    started after a file was written stands for its fsync before the rename, another for its folder's after), so every
    file is still on disk before its rename. The reset between runs frees no inode, the module runs before modutil, and
    on an ext4 without a journal the bench lets a minute pass first: there every file created within minutes of many
    deletions pays for them (see Reset-Profiles and the wait).
    modutil runs for every one of the 1,000 profiles unless that would take over 2 minutes (then a 50-profile sample,
    scaled, and the line says so). Ratios come from the same run. The real user's profiles are never touched.
    Also timed: the refusal of a FIFO as pkcs11.txt (it must never hang a run; the test only checks it ends).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath, [int] $Profiles = 1000, [int] $Runs = 5)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module $ModulePath -Force

foreach ($tool in 'modutil', 'certutil') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { Write-Warning "Firefox bench skipped: '$tool' is not installed (build.ps1 -Task Deps)."; return }
}
$library = '/usr/lib/softhsm/libsofthsm2.so'
if (-not (Test-Path $library)) { Write-Warning "Firefox bench skipped: $library is not installed."; return }

$root = Join-Path ([IO.Path]::GetTempPath()) "ekeng-ffbench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$saved = @{ HOME = $env:HOME; SOFTHSM2_CONF = $env:SOFTHSM2_CONF; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME }
try {
    $env:HOME = Join-Path $root 'home'
    $env:XDG_CONFIG_HOME = $null
    New-Item -ItemType Directory -Force (Join-Path $root 'tokens') | Out-Null
    $env:SOFTHSM2_CONF = Join-Path $root 'softhsm2.conf'
    Set-Content -LiteralPath $env:SOFTHSM2_CONF -Value "directories.tokendir = $(Join-Path $root 'tokens')`nobjectstore.backend = file`nlog.level = ERROR"

    # One real NSS profile database, copied into every profile folder.
    $template = Join-Path $root 'template'
    New-Item -ItemType Directory -Force $template | Out-Null
    & certutil -N -d "sql:$template" --empty-password
    if ($LASTEXITCODE -ne 0) { throw 'certutil -N failed' }
    $files = 'cert9.db', 'key4.db', 'pkcs11.txt'
    $iniRoot = Join-Path $env:HOME '.mozilla/firefox'
    $dirs = for ($i = 0; $i -lt $Profiles; $i++) { Join-Path $iniRoot "Profiles/bench$i.default" }
    $ini = [Text.StringBuilder]::new()
    for ($i = 0; $i -lt $Profiles; $i++) {
        New-Item -ItemType Directory -Force $dirs[$i] | Out-Null
        [void]$ini.Append("[Profile$i]`nName=bench$i`nIsRelative=1`nPath=Profiles/bench$i.default`n`n")
    }
    [IO.File]::WriteAllText((Join-Path $iniRoot 'profiles.ini'), $ini.ToString() + "[General]`nVersion=2`n")
    $templateBytes = @{}
    foreach ($f in $files) { $templateBytes[$f] = [IO.File]::ReadAllBytes((Join-Path $template $f)) }
    # The reset frees no inode: a backup left by the last run is moved aside (into one folder, deleted at the end), and
    # the files are rewritten in place. On a journal-less ext4 (this VM's disk) an inode freed in the last minutes is
    # skipped by every allocation in its group (ext4's find_inode_bit/recently_deleted), so deleting 1,000 backups right
    # before a timed run made each of the run's 1,000 new files scan past them: the reset's cost billed to the run
    # (kernel time grew from 340 to 550 ms over five runs).
    $aside = Join-Path $root 'aside'
    New-Item -ItemType Directory -Force $aside | Out-Null
    $script:asideCount = 0
    function Reset-Profiles([string[]] $which) {
        foreach ($d in $which) {
            foreach ($f in $files) { [IO.File]::WriteAllBytes((Join-Path $d $f), $templateBytes[$f]) }
            $bak = Join-Path $d 'pkcs11.txt.bak'
            if ([IO.File]::Exists($bak)) { [IO.File]::Move($bak, (Join-Path $aside "$(($script:asideCount++)).bak")) }
        }
        & sync
    }

    # On an ext4 without a journal (no /proc/fs/jbd2 entry for its device; this VM's disk), every new inode's allocation
    # skips the inodes freed in the last 60 s (6 min while their table block is unwritten): whatever the machine deleted
    # just before (the other benches, a test run) is paid by the next files created. Measured here: the same code took
    # 138 ms once the disk had settled and 250-420 ms within a minute of other runs' deletions. So the table blocks are
    # written (sync) and a minute is let pass before the timed runs; the reset frees nothing, and modutil comes after.
    $fs = @((& findmnt -n -o FSTYPE,SOURCE -T $root) -split '\s+')
    $journalless = $fs.Count -ge 2 -and $fs[0] -eq 'ext4' -and -not (Get-ChildItem -LiteralPath /proc/fs/jbd2 -ErrorAction Ignore | Where-Object Name -Like "$(Split-Path -Leaf $fs[1])-*")
    if ($journalless) {
        & sync
        Write-BenchLine "  $($fs[1]) is ext4 without a journal" 'sync, then 65 s for the inodes freed before the bench to stop being recent'
        Start-Sleep -Seconds 65
    }

    # Set-FirefoxCryptoModule over all profiles (found through profiles.ini), from the same fresh files. It runs before
    # modutil, which unlinks two or three files per profile (its pkcs11.txu and the old pkcs11.txt): see the reset.
    $setRuns = [Collections.Generic.List[double]]::new()
    $noOpRuns = [Collections.Generic.List[double]]::new()
    for ($r = 0; $r -lt $Runs; $r++) {
        Reset-Profiles $dirs
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $out = @(Set-FirefoxCryptoModule -Path $library -ProgressAction SilentlyContinue)
        $sw.Stop()
        if (@($out | Where-Object Status -EQ 'Added').Count -ne $Profiles) { throw "Set-FirefoxCryptoModule added the module to $(@($out | Where-Object Status -EQ 'Added').Count) of $Profiles profiles." }
        $setRuns.Add($sw.Elapsed.TotalMilliseconds)
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $again = @(Set-FirefoxCryptoModule -Path $library -ProgressAction SilentlyContinue)
        $sw.Stop()
        if (@($again | Where-Object Status -EQ 'AlreadyPresent').Count -ne $Profiles) { throw 'The second run was not a no-op.' }
        $noOpRuns.Add($sw.Elapsed.TotalMilliseconds)
    }
    # modutil -add once per profile. One timed profile first tells whether all 1,000 fit in 2 minutes.
    Reset-Profiles $dirs
    $probe = [Diagnostics.Stopwatch]::StartNew()
    & modutil -force -add 'ARMID (CryptoCard)' -libfile $library -dbdir "sql:$($dirs[0])" *> $null
    $probe.Stop()
    $sample = if ($probe.Elapsed.TotalSeconds * $Profiles -gt 120) { 50 } else { $Profiles }
    $sampleDirs = $dirs[0..($sample - 1)]
    $modutilRuns = [Collections.Generic.List[double]]::new()
    for ($r = 0; $r -lt 3; $r++) {
        Reset-Profiles $sampleDirs
        $sw = [Diagnostics.Stopwatch]::StartNew()
        foreach ($d in $sampleDirs) {
            & modutil -force -add 'ARMID (CryptoCard)' -libfile $library -dbdir "sql:$d" *> $null
            if ($LASTEXITCODE -ne 0) { throw "modutil -add failed on $d" }
        }
        $sw.Stop()
        $modutilRuns.Add($sw.Elapsed.TotalMilliseconds * $Profiles / $sample)
    }
    $modutilMs = @($modutilRuns | Sort-Object)[1]
    if (-not ((Get-Content -Raw (Join-Path $dirs[$sample - 1] 'pkcs11.txt')) -match 'libsofthsm2')) { throw 'modutil did not register the module.' }

    # A FIFO as pkcs11.txt is refused at once (UnsafeFile), not waited on: the time of that refusal, warm.
    $fifoProfile = Join-Path $root 'fifo profile'
    New-Item -ItemType Directory -Force $fifoProfile | Out-Null
    & mkfifo (Join-Path $fifoProfile 'pkcs11.txt')
    if ($LASTEXITCODE -ne 0) { throw 'mkfifo failed' }
    $fifoRuns = [Collections.Generic.List[double]]::new()
    for ($r = 0; $r -lt [math]::Max($Runs, 5); $r++) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $null = Get-FirefoxCryptoModule -ProfilePath $fifoProfile -ErrorVariable fifoErrors -ErrorAction SilentlyContinue
        $sw.Stop()
        if (-not ($fifoErrors | Where-Object FullyQualifiedErrorId -Like 'UnsafeFile,*')) { throw 'A FIFO pkcs11.txt was not refused with UnsafeFile.' }
        $fifoRuns.Add($sw.Elapsed.TotalMilliseconds)
    }
    $fifoMs = @($fifoRuns | Sort-Object)[[int][math]::Floor($fifoRuns.Count / 2)]

    $setMs = @($setRuns | Sort-Object)[[int][math]::Floor($Runs / 2)]
    $noOpMs = @($noOpRuns | Sort-Object)[[int][math]::Floor($Runs / 2)]
    $how = if ($sample -eq $Profiles) { "all $Profiles profiles" } else { "$sample-profile sample scaled to $Profiles" }

    Write-BenchLine "modutil -add once per profile, $Profiles profiles" ('{0:N0} ms ({1}, median of 3)' -f $modutilMs, $how)
    Write-BenchLine "Set-FirefoxCryptoModule, $Profiles profiles" ('{0:N0} ms (median of {1})' -f $setMs, $Runs)
    Write-BenchLine 'Set-FirefoxCryptoModule vs modutil -add (same run)' ('{0:N1}x faster' -f ($modutilMs / $setMs)) '>= 10x'
    $ratio = $modutilMs / $setMs
    Write-GoalLine -Name "Firefox $('{0:N0}' -f $Profiles) profiles" -Value $ratio -Text ('{0:N0} ms, {1:N1}x modutil ({2}, median of {3}; {4})' -f $setMs, $ratio, $how, $Runs, (Get-LoadText)) -Op '>=' -Goal 50 -GoalText '>= 50x'
    Write-BenchLine "Set-FirefoxCryptoModule second run (no-op), $Profiles profiles" ('{0:N0} ms (median of {1})' -f $noOpMs, $Runs)
    Write-BenchLine 'Get-FirefoxCryptoModule refusing a FIFO pkcs11.txt (UnsafeFile), warm' ('{0:N2} ms (median of {1})' -f $fifoMs, $fifoRuns.Count) '< 1,000 ms'
    [ordered]@{ Profiles = $Profiles; ModutilMs = $modutilMs; ModutilSample = $sample; SetMs = $setMs; NoOpMs = $noOpMs; Ratio = $modutilMs / $setMs; FifoRefusalMs = $fifoMs } |
        ConvertTo-Json | Set-Content -LiteralPath (Join-Path $OutPath 'firefox.json')
}
finally {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
}
