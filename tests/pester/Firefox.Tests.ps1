# Set/Get/Test/Remove-FirefoxCryptoModule against a REAL headless firefox-esr, NSS's modutil and SoftHSM2 as the
# PKCS#11 library (docs/RIGS.md). HOME is a temp folder: the real user's profiles are never touched. The policy
# tests write into Firefox's installation (distribution/policies.json) and restore it in AfterAll.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RigSkip = [bool](Get-RigSkipReason -Command 'firefox-esr', 'modutil', 'softhsm2-util' -NeedsRoot)
    $script:RootSkip = [bool](Get-RigSkipReason -Command 'flock', 'chown' -NeedsRoot)
}

BeforeAll {
    Import-TestRig -BuiltModule
    Import-Module (Join-Path $PSScriptRoot 'ScriptedHost.psm1') -Force
    # -WhatIf writes through the host: run in a runspace whose host records it (kept out of the test log, checked).
    function Invoke-WhatIf([string] $script, [hashtable] $variables = @{}) {
        Invoke-WithScriptedHost -Variables ($variables + @{ ModulePath = $env:EKENG_MODULE_PATH }) -Script "Import-Module `$ModulePath`n$script"
    }
    $script:SoftHsm = '/usr/lib/softhsm/libsofthsm2.so'
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) "ekeng-ff-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $script:SavedEnv = @{ HOME = $env:HOME; SOFTHSM2_CONF = $env:SOFTHSM2_CONF; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME }
    $script:Started = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

    function New-TestHome([string] $name) {
        $h = Join-Path $Root $name
        New-Item -ItemType Directory -Force $h | Out-Null
        $h
    }

    # A profile created by Firefox itself, in a folder whose name has a space and Armenian letters.
    function New-FirefoxProfile([string] $name) {
        $dir = Join-Path $Root "x y/Պրոֆիլ $name"
        New-Item -ItemType Directory -Force (Split-Path $dir) | Out-Null
        & firefox-esr --headless -CreateProfile "$name $dir" *> $null
        if (-not (Test-Path -LiteralPath $dir)) { throw "firefox-esr did not create the profile $dir" }
        $dir
    }

    # One headless Firefox run on the profile that applies policies and loads the modules (~2 s), then exits.
    function Invoke-Firefox([string] $profileDir) {
        & timeout 60 firefox-esr --headless --profile $profileDir --screenshot (Join-Path $Root 'shot.png') about:blank *> $null
        if ($LASTEXITCODE -ne 0) { throw "firefox-esr exited with $LASTEXITCODE" }
    }

    function Get-ModutilList([string] $profileDir) {
        (& modutil -list -dbdir "sql:$profileDir" 2>&1) -join "`n"
    }

    function Get-Bytes([string] $path) { [IO.File]::ReadAllBytes($path) }

    New-Item -ItemType Directory -Force $Root | Out-Null
    $env:HOME = New-TestHome 'home'
    $env:XDG_CONFIG_HOME = $null
    # SoftHSM with a private token folder; every child process (firefox, modutil) inherits this variable.
    $tokens = Join-Path $Root 'tokens'
    New-Item -ItemType Directory -Force $tokens | Out-Null
    $env:SOFTHSM2_CONF = Join-Path $Root 'softhsm2.conf'
    Set-Content -LiteralPath $env:SOFTHSM2_CONF -Value "directories.tokendir = $tokens`nobjectstore.backend = file`nlog.level = ERROR"
    if (Get-Command softhsm2-util -ErrorAction Ignore) {
        & softhsm2-util --init-token --free --label 'ARMID (AuthPIN)' --so-pin 87654321 --pin 123456 *> $null
    }
}

AfterAll {
    foreach ($p in $Started) { if (-not $p.HasExited) { $p.Kill($true); $p.WaitForExit(10000) | Out-Null } }
    foreach ($name in $SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $SavedEnv[$name]) }
    if (Test-Path -LiteralPath $Root) { Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Firefox profiles (real firefox-esr)' -Skip:$RigSkip {
    BeforeAll {
        $script:Profile = New-FirefoxProfile 'ekeng'
        Invoke-Firefox $Profile          # a profile that has run once, as users' profiles have
        $script:Pkcs11 = Join-Path $Profile 'pkcs11.txt'
        $script:Before = Get-Bytes $Pkcs11
    }

    It 'registers SoftHSM in the profile; modutil lists the module and its token' {
        $result = Set-FirefoxCryptoModule -ProfilePath $Profile -Path $SoftHsm -Name 'SoftHSM (Ekeng test)'
        $result.Status | Should -Be 'Added'
        $result.ProfilePath | Should -Be $Profile
        $result.Library | Should -Be $SoftHsm
        $after = Get-Bytes $Pkcs11
        # Firefox's own module block is kept byte for byte; the new block follows it.
        [Linq.Enumerable]::SequenceEqual([byte[]]$after[0..($Before.Length - 1)], [byte[]]$Before) | Should -BeTrue
        (Get-Bytes "$Pkcs11.bak").Length | Should -Be $Before.Length
        $list = Get-ModutilList $Profile
        $list | Should -Match 'SoftHSM \(Ekeng test\)'
        $list | Should -Match ([regex]::Escape("library name: $SoftHsm"))
        $list | Should -Match 'token: ARMID \(AuthPIN\)'
    }

    It 'changes nothing on a second run, and Test- and Get- see the module' {
        $bytes = Get-Bytes $Pkcs11
        (Set-FirefoxCryptoModule -ProfilePath $Profile -Path $SoftHsm -Name 'SoftHSM (Ekeng test)').Status | Should -Be 'AlreadyPresent'
        # Another name for the same library through a symlink: found, not duplicated.
        $link = Join-Path $Root 'link to softhsm.so'
        New-Item -ItemType SymbolicLink -Path $link -Target $SoftHsm -Force | Out-Null
        $other = Set-FirefoxCryptoModule -ProfilePath $Profile -Path $link -Name 'Another name'
        $other.Status | Should -Be 'AlreadyPresent'
        $other.Name | Should -Be 'SoftHSM (Ekeng test)'
        [Linq.Enumerable]::SequenceEqual([byte[]](Get-Bytes $Pkcs11), [byte[]]$bytes) | Should -BeTrue
        Test-FirefoxCryptoModule -ProfilePath $Profile -Path $SoftHsm -Name 'SoftHSM (Ekeng test)' | Should -BeTrue
        Test-FirefoxCryptoModule -ProfilePath $Profile -Path '/usr/lib/ccs/libccpkip11.so' | Should -BeFalse
        (Get-FirefoxCryptoModule -ProfilePath $Profile).Name | Should -Be 'SoftHSM (Ekeng test)'
    }

    It 'Test- -Detailed answers per profile with a Present Boolean; without it, one Boolean' {
        $empty = Join-Path $Root 'empty profile'
        New-Item -ItemType Directory -Force $empty | Out-Null
        $results = @(Test-FirefoxCryptoModule -ProfilePath $Profile, $empty -Path $SoftHsm -Detailed)
        $results.Count | Should -Be 2
        $results | ForEach-Object { $_ | Should -BeOfType Ekeng.Firefox.FirefoxCryptoModule }
        ($results | Where-Object ProfilePath -EQ $Profile).Present | Should -BeTrue
        ($results | Where-Object ProfilePath -EQ $empty).Present | Should -BeFalse
        ($results | Where-Object ProfilePath -EQ $empty).Status | Should -Be 'NotPresent'
        $one = @(Test-FirefoxCryptoModule -ProfilePath $Profile, $empty -Path $SoftHsm)
        $one.Count | Should -Be 1
        $one[0] | Should -BeOfType bool
        $one[0] | Should -BeFalse
    }

    It 'finds the profile through profiles.ini of the (temp) HOME without -ProfilePath' {
        $all = @(Get-FirefoxCryptoModule)
        $all.ProfilePath | Should -Contain $Profile
        Test-FirefoxCryptoModule -Path $SoftHsm -Name 'SoftHSM (Ekeng test)' | Should -BeTrue
    }

    It 'keeps the module after Firefox runs on the profile' {
        Invoke-Firefox $Profile
        Get-Content -LiteralPath $Pkcs11 -Raw | Should -Match ([regex]::Escape("library=$SoftHsm"))
        Get-ModutilList $Profile | Should -Match 'SoftHSM \(Ekeng test\)'
    }

    It '-WhatIf writes nothing' {
        $bytes = Get-Bytes $Pkcs11
        $bak = Get-Bytes "$Pkcs11.bak"
        # Without -Force: -WhatIf shows what would be written even when the library is not installed (yet).
        $r = Invoke-WhatIf -Variables @{ P = $Profile } @'
Remove-FirefoxCryptoModule -ProfilePath $P -Name 'SoftHSM (Ekeng test)' -WhatIf
Set-FirefoxCryptoModule -ProfilePath $P -Path '/opt/not installed/lib.so' -Name 'Second' -WhatIf
'@
        $r.Output | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
        $shown = $r.Host.ScriptedUI.Written -join "`n"
        $shown | Should -Match ("What if: .*Remove PKCS#11 module 'SoftHSM \(Ekeng test\)'.*" + [regex]::Escape($Pkcs11))
        $shown | Should -Match ("What if: .*Add PKCS#11 module 'Second' \(/opt/not installed/lib\.so\).*" + [regex]::Escape($Pkcs11))
        ($r.Streams | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Message | Should -Match 'ModuleLibraryNotFound|/opt/not installed/lib\.so.*does not exist'
        [Linq.Enumerable]::SequenceEqual([byte[]](Get-Bytes $Pkcs11), [byte[]]$bytes) | Should -BeTrue
        [Linq.Enumerable]::SequenceEqual([byte[]](Get-Bytes "$Pkcs11.bak"), [byte[]]$bak) | Should -BeTrue
    }

    It 'removes the module; modutil agrees' {
        $result = Remove-FirefoxCryptoModule -ProfilePath $Profile -Name 'SoftHSM (Ekeng test)' -Confirm:$false
        $result.Status | Should -Be 'Removed'
        $list = Get-ModutilList $Profile
        $list | Should -Not -Match 'SoftHSM'
        $list | Should -Match 'NSS Internal PKCS #11 Module'
        (Remove-FirefoxCryptoModule -ProfilePath $Profile -Name 'SoftHSM (Ekeng test)' -Confirm:$false).Status | Should -Be 'NotPresent'
    }

    It 'skips a profile Firefox is running on, with FirefoxRunning, its pkcs11.txt byte-identical; a stale lock afterwards does not block' {
        $running = New-FirefoxProfile 'running'
        Invoke-Firefox $running
        $file = Join-Path $running 'pkcs11.txt'
        $bytes = Get-Bytes $file
        $psi = [System.Diagnostics.ProcessStartInfo]::new('firefox-esr')
        foreach ($a in '--headless', '--profile', $running, 'about:blank') { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $firefox = [System.Diagnostics.Process]::Start($psi)
        $Started.Add($firefox)
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ([DateTime]::UtcNow -lt $deadline -and -not ((Get-Item -LiteralPath (Join-Path $running 'lock') -Force -ErrorAction Ignore).LinkTarget -match ":\+$($firefox.Id)$")) {
                Start-Sleep -Milliseconds 100
            }
            (Get-Item -LiteralPath (Join-Path $running 'lock') -Force).LinkTarget | Should -Match ":\+$($firefox.Id)$"

            $result = Set-FirefoxCryptoModule -ProfilePath $running -Path $SoftHsm -ErrorVariable errors -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Skipped'
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'FirefoxRunning,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            $errors[0].ErrorDetails.RecommendedAction | Should -Match '-Scope Policy'
            [Linq.Enumerable]::SequenceEqual([byte[]](Get-Bytes $file), [byte[]]$bytes) | Should -BeTrue
            Test-Path -LiteralPath "$file.bak" | Should -BeFalse
        }
        finally {
            $firefox.Kill($true)
            $firefox.WaitForExit(15000) | Out-Null
        }

        # Killed, Firefox leaves its 'lock' symlink behind: a stale lock, not a running Firefox.
        (Get-Item -LiteralPath (Join-Path $running 'lock') -Force).LinkTarget | Should -Match ":\+$($firefox.Id)$"
        (Set-FirefoxCryptoModule -ProfilePath $running -Path $SoftHsm).Status | Should -Be 'Added'
    }
}

Describe 'Firefox profile errors and scale' -Skip:$RigSkip {
    BeforeEach {
        $script:OldHome = $env:HOME
    }
    AfterEach {
        $env:HOME = $OldHome
    }

    It 'refuses a missing library (ModuleLibraryNotFound) and a 32-bit Windows DLL (ModuleArchitectureMismatch), writing nothing' {
        $dir = Join-Path $Root 'x y/checks'
        New-Item -ItemType Directory -Force $dir | Out-Null
        { Set-FirefoxCryptoModule -ProfilePath $dir -Path (Join-Path $Root 'missing.so') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModuleLibraryNotFound,*'
        # A PE32 (x86) header: the peers' top failure is a 32-bit DLL in a 64-bit Firefox.
        $dll = Join-Path $Root 'CCPkiP11 x86.dll'
        $pe = [byte[]]::new(0x80 + 26)
        $pe[0] = 0x4D; $pe[1] = 0x5A; $pe[0x3C] = 0x80
        $pe[0x80] = 0x50; $pe[0x81] = 0x45; $pe[0x84] = 0x4C; $pe[0x85] = 0x01; $pe[0x98] = 0x0B; $pe[0x99] = 0x01
        [IO.File]::WriteAllBytes($dll, $pe)
        $err = { Set-FirefoxCryptoModule -ProfilePath $dir -Path $dll -ErrorAction Stop } | Should -Throw -ErrorId 'ModuleArchitectureMismatch,*' -PassThru
        $err.Exception.Message | Should -Match 'x86 \(32-bit\)'
        Test-Path (Join-Path $dir 'pkcs11.txt') | Should -BeFalse
        (Set-FirefoxCryptoModule -ProfilePath $dir -Path $dll -Force -WarningAction SilentlyContinue).Status | Should -Be 'Added'
        { Set-FirefoxCryptoModule -ProfilePath $dir -Path $SoftHsm -Name "two`nlines" -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidModuleValue,*'
    }

    It 'reports a corrupt profiles.ini (ProfilesIniCorrupt) and warns when there is no profile at all' {
        $env:HOME = New-TestHome 'home-corrupt'
        $ini = Join-Path $env:HOME '.mozilla/firefox/profiles.ini'
        New-Item -ItemType Directory -Force (Split-Path $ini) | Out-Null
        [IO.File]::WriteAllText($ini, "[Profile0]`nName=a`nnot an ini line`n")
        Set-FirefoxCryptoModule -Path $SoftHsm -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ProfilesIniCorrupt,*'
        $errors[0].Exception.Message | Should -Match 'line 3'

        $env:HOME = New-TestHome 'home-empty'
        $output = Set-FirefoxCryptoModule -Path $SoftHsm -ErrorVariable errors -WarningVariable warnings -WarningAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $errors.Count | Should -Be 0
        $warnings[0] | Should -Match 'No Firefox profile was found'
        Test-FirefoxCryptoModule -Path $SoftHsm -WarningAction SilentlyContinue | Should -BeFalse
    }

    # Parsing 1,000 profiles is the parser's test (ProfilesIniTests); 1,000 registrations at once are run (and their
    # count checked) by tests/bench/Firefox.Bench.ps1. Here: the cmdlet registers in every profile profiles.ini lists.
    It 'registers the module in every profile profiles.ini lists, and a second run changes none' {
        $env:HOME = New-TestHome 'home-several'
        $rootDir = Join-Path $env:HOME '.config/mozilla/firefox'
        $sb = [Text.StringBuilder]::new()
        for ($i = 0; $i -lt 3; $i++) {
            New-Item -ItemType Directory -Force (Join-Path $rootDir "Profiles/p$i") | Out-Null
            [void]$sb.Append("[Profile$i]`nName=p$i`nIsRelative=1`nPath=Profiles/p$i`n`n")
        }
        [IO.File]::WriteAllText((Join-Path $rootDir 'profiles.ini'), $sb.ToString() + "[General]`nVersion=2`n")
        $all = @(Set-FirefoxCryptoModule -Path $SoftHsm -Verbose 4>&1)
        $results = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $results.Count | Should -Be 3
        @($results | Where-Object Status -EQ 'Added').Count | Should -Be 3
        # Written at once, their syncs shared (Linux: syncfs per filesystem); a single profile fsyncs itself.
        @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'made durable together' }).Count | Should -Be ([int][bool]$IsLinux)
        foreach ($i in 0..2) {
            Get-Content -LiteralPath (Join-Path $rootDir "Profiles/p$i/pkcs11.txt") -Raw | Should -Match ([regex]::Escape("library=$SoftHsm"))
        }
        Test-FirefoxCryptoModule -Path $SoftHsm | Should -BeTrue
        @(Set-FirefoxCryptoModule -Path $SoftHsm | Where-Object Status -EQ 'AlreadyPresent').Count | Should -Be 3
    }

    It 'finds Thunderbird profiles with -Application Thunderbird, warns for a snap Firefox, and shows a table view' {
        $env:HOME = New-TestHome 'home-apps'
        $tb = Join-Path $env:HOME '.thunderbird'
        New-Item -ItemType Directory -Force (Join-Path $tb 'mail.default') | Out-Null
        [IO.File]::WriteAllText((Join-Path $tb 'profiles.ini'), "[Profile0]`nName=mail`nIsRelative=1`nPath=mail.default`nDefault=1`n")
        $snap = Join-Path $env:HOME 'snap/firefox/common/.mozilla/firefox'
        New-Item -ItemType Directory -Force (Join-Path $snap 'web.default') | Out-Null
        [IO.File]::WriteAllText((Join-Path $snap 'profiles.ini'), "[Profile0]`nName=web`nIsRelative=1`nPath=web.default`n")

        $mail = Set-FirefoxCryptoModule -Application Thunderbird -Path $SoftHsm
        $mail.Application | Should -Be 'Thunderbird'
        $mail.Profile | Should -Be 'mail'
        $mail.ProfileName | Should -Be 'mail' -Because 'the former name stays an alias for scripts'
        $mail.Status | Should -Be 'Added'
        Test-Path (Join-Path $tb 'mail.default/pkcs11.txt') | Should -BeTrue
        Test-Path (Join-Path $snap 'web.default/pkcs11.txt') | Should -BeFalse

        $web = Set-FirefoxCryptoModule -Path $SoftHsm -WarningVariable warnings -WarningAction SilentlyContinue
        $web.Status | Should -Be 'Added'
        ($warnings -join ' ') | Should -Match 'snap'

        Get-FormatData -TypeName 'Ekeng.Firefox.FirefoxCryptoModule' | Should -Not -BeNullOrEmpty
        $table = (Get-FirefoxCryptoModule -Application Firefox, Thunderbird | Out-String -Width 200)
        $table | Should -Match 'Status\s+Profile\s+Name\s+Library\s+Target'
        $table | Should -Match 'Present\s+mail\s+ARMID \(CryptoCard\)'
    }

    It 'refuses a policies.json that is not JSON (PolicyJsonInvalid, naming file and line) and leaves it untouched' {
        $file = Join-Path $Root 'x y/policy/policies.json'
        New-Item -ItemType Directory -Force (Split-Path $file) | Out-Null
        [IO.File]::WriteAllText($file, "{`n  `"policies`": {`n    `"DisableAppUpdate`": true,`n  }`n}`n")
        $bytes = Get-Bytes $file
        $result = Set-FirefoxCryptoModule -Scope Policy -PolicyPath $file -Path $SoftHsm -ErrorVariable errors -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Skipped'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PolicyJsonInvalid,*'
        $errors[0].Exception.Message | Should -Match 'line 4'
        $errors[0].Exception.Message | Should -Match ([regex]::Escape($file))
        [Linq.Enumerable]::SequenceEqual([byte[]](Get-Bytes $file), [byte[]]$bytes) | Should -BeTrue
    }
}

Describe 'Firefox enterprise policy (real firefox-esr, its installation restored afterwards)' -Skip:$RigSkip {
    BeforeAll {
        $script:Distribution = '/usr/lib/firefox-esr/distribution'
        $script:PolicyFile = Join-Path $Distribution 'policies.json'
        $script:EtcPolicy = '/etc/firefox/policies/policies.json'
        # Save what is there, to put it back byte for byte.
        $script:Saved = @{}
        foreach ($f in $PolicyFile, "$PolicyFile.bak", $EtcPolicy) {
            $Saved[$f] = if (Test-Path -LiteralPath $f) { Get-Bytes $f } else { $null }
        }
        $script:DistributionExisted = Test-Path -LiteralPath $Distribution
        if (Test-Path -LiteralPath $EtcPolicy) { Remove-Item -LiteralPath $EtcPolicy }   # Firefox would read it instead (restored below)
        New-Item -ItemType Directory -Force $Distribution | Out-Null
        [IO.File]::WriteAllText($PolicyFile, @'
{
  "policies": {
    "DisableAppUpdate": true,
    "Preferences": {
      "ekeng.test.kept": { "Value": "Հայերեն", "Status": "default" }
    },
    "SecurityDevices": { "Add": { "Other device": "/usr/lib/other-pkcs11.so" } }
  }
}
'@)
    }

    AfterAll {
        foreach ($f in $Saved.Keys) {
            if ($null -eq $Saved[$f]) { Remove-Item -LiteralPath $f -Force -ErrorAction SilentlyContinue }
            else { New-Item -ItemType Directory -Force (Split-Path $f) | Out-Null; [IO.File]::WriteAllBytes($f, $Saved[$f]) }
        }
        if (-not $DistributionExisted) { Remove-Item -LiteralPath $Distribution -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'merges SecurityDevices into the existing policies.json and Firefox applies it on a fresh profile' {
        $result = Set-FirefoxCryptoModule -Scope Policy -Path $SoftHsm -Name 'SoftHSM (policy)'
        $result.Status | Should -Be 'Added'
        $result.PolicyPath | Should -Be $PolicyFile
        $json = Get-Content -LiteralPath $PolicyFile -Raw | ConvertFrom-Json -AsHashtable
        $json.policies.DisableAppUpdate | Should -BeTrue
        $json.policies.Preferences['ekeng.test.kept'].Value | Should -Be 'Հայերեն'
        $json.policies.SecurityDevices.Add['Other device'] | Should -Be '/usr/lib/other-pkcs11.so'
        $json.policies.SecurityDevices.Add['SoftHSM (policy)'] | Should -Be $SoftHsm
        @($json.policies.Keys) | Should -Be @('DisableAppUpdate', 'Preferences', 'SecurityDevices')

        $fresh = New-FirefoxProfile 'policy'
        Invoke-Firefox $fresh
        $pkcs11 = Get-Content -LiteralPath (Join-Path $fresh 'pkcs11.txt') -Raw
        $pkcs11 | Should -Match ([regex]::Escape("library=$SoftHsm"))
        $pkcs11 | Should -Match 'name=SoftHSM \(policy\)'
        Get-ModutilList $fresh | Should -Match 'token: ARMID \(AuthPIN\)'
    }

    It 'is idempotent and Test- sees it' {
        $bytes = Get-Bytes $PolicyFile
        (Set-FirefoxCryptoModule -Scope Policy -Path $SoftHsm -Name 'SoftHSM (policy)').Status | Should -Be 'AlreadyPresent'
        [Linq.Enumerable]::SequenceEqual([byte[]](Get-Bytes $PolicyFile), [byte[]]$bytes) | Should -BeTrue
        Test-FirefoxCryptoModule -Scope Policy -Path $SoftHsm -Name 'SoftHSM (policy)' | Should -BeTrue
        (Get-FirefoxCryptoModule -Scope Policy -Name 'SoftHSM*').Library | Should -Be $SoftHsm
    }

    It '-WhatIf writes nothing to the policy file' {
        $bytes = Get-Bytes $PolicyFile
        $r = Invoke-WhatIf @'
Set-FirefoxCryptoModule -Scope Policy -Path '/opt/not installed/lib.so' -Name 'WhatIf device' -WhatIf
Remove-FirefoxCryptoModule -Scope Policy -Name 'SoftHSM (policy)' -WhatIf
'@
        $r.Output | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
        $shown = $r.Host.ScriptedUI.Written -join "`n"
        $shown | Should -Match ("What if: .*Add SecurityDevices policy 'WhatIf device' \(/opt/not installed/lib\.so\).*" + [regex]::Escape($PolicyFile))
        $shown | Should -Match ("What if: .*Remove SecurityDevices policy 'SoftHSM \(policy\)'.*" + [regex]::Escape($PolicyFile))
        [Linq.Enumerable]::SequenceEqual([byte[]](Get-Bytes $PolicyFile), [byte[]]$bytes) | Should -BeTrue
    }

    It 'removes it into SecurityDevices.Delete, keeping the other policies' {
        (Remove-FirefoxCryptoModule -Scope Policy -Name 'SoftHSM (policy)' -Confirm:$false).Status | Should -Be 'Removed'
        $json = Get-Content -LiteralPath $PolicyFile -Raw | ConvertFrom-Json -AsHashtable
        $json.policies.SecurityDevices.Add.Keys | Should -Not -Contain 'SoftHSM (policy)'
        $json.policies.SecurityDevices.Delete | Should -Contain 'SoftHSM (policy)'
        $json.policies.SecurityDevices.Add['Other device'] | Should -Be '/usr/lib/other-pkcs11.so'
        $json.policies.Preferences['ekeng.test.kept'].Value | Should -Be 'Հայերեն'
        Test-FirefoxCryptoModule -Scope Policy -Path $SoftHsm -Name 'SoftHSM (policy)' | Should -BeFalse
    }
}

Describe 'Run as root over a user''s profile (no Firefox needed)' -Skip:$RootSkip {
    BeforeAll {
        # A "user" (uid 65534) with a home in the temp folder, and a library file that exists.
        $script:UserHome = Join-Path $Root 'user home'
        New-Item -ItemType Directory -Force $UserHome | Out-Null
        & chown 65534:65534 $UserHome
        $script:Lib = Join-Path $Root 'libroot-test.so'
        [IO.File]::WriteAllBytes($Lib, [byte[]](0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 62, 0))
    }

    It 'refuses a profile folder that is the user''s symlink to a root-owned folder (UnsafeFolder); root''s folder stays empty' {
        $rootsFolder = Join-Path $Root "root's folder"
        New-Item -ItemType Directory -Force $rootsFolder | Out-Null
        $link = Join-Path $UserHome 'p.default'
        New-Item -ItemType SymbolicLink -Path $link -Target $rootsFolder -Force | Out-Null
        & chown -h 65534:65534 $link
        $result = Set-FirefoxCryptoModule -ProfilePath $link -Path $Lib -Name 'Root test' -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Skipped'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeFolder,*'
        $errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
        @(Get-ChildItem -LiteralPath $rootsFolder -Force).Count | Should -Be 0
    }

    It 'serialises with another PROCESS holding the profile''s lock: FolderBusy after the wait, and the write once it is released' {
        $profileDir = Join-Path $UserHome 'busy.default'
        New-Item -ItemType Directory -Force $profileDir | Out-Null
        & chown 65534:65534 $profileDir
        # flock(1) takes flock(LOCK_EX) on the folder, as a second run of the module does, and holds it until stdin ends.
        $psi = [Diagnostics.ProcessStartInfo]::new('flock')
        foreach ($a in '--exclusive', $profileDir, 'sh', '-c', 'echo locked; read line; if [ -e pkcs11.txt ]; then echo written while locked; else echo released, nothing written while locked; fi') { $psi.ArgumentList.Add($a) }
        $psi.WorkingDirectory = $profileDir
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $holder = [Diagnostics.Process]::Start($psi)
        $Started.Add($holder)
        $saved = $env:EKENG_FOLDER_WAIT_SECONDS
        try {
            $holder.StandardOutput.ReadLine() | Should -Be 'locked'
            $env:EKENG_FOLDER_WAIT_SECONDS = '1'
            $result = Set-FirefoxCryptoModule -ProfilePath $profileDir -Path $Lib -Name 'Busy test' -Force -ErrorVariable errors -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Skipped'
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'FolderBusy,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            Test-Path -LiteralPath (Join-Path $profileDir 'pkcs11.txt') | Should -BeFalse

            # A second PROCESS of the module that may wait long enough: once it has the folder open (it is then at the
            # lock, as /proc shows), the holder checks that nothing was written meanwhile and lets go; the run then writes.
            $script = "Import-Module '$env:EKENG_MODULE_PATH'; (Set-FirefoxCryptoModule -ProfilePath '$profileDir' -Path '$Lib' -Name 'Busy test' -Force -ErrorAction Stop).Status"
            $run = New-PwshStartInfo -ArgumentList '-Command', $script
            $run.Environment['EKENG_FOLDER_WAIT_SECONDS'] = '600'
            $second = [Diagnostics.Process]::Start($run)
            $Started.Add($second)
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            while (-not (Get-ChildItem -LiteralPath "/proc/$($second.Id)/fd" -ErrorAction Ignore | Where-Object { $_.LinkTarget -eq $profileDir })) {
                if ($second.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "the second run never opened the profile folder: $($second.StandardError.ReadToEnd())" }
                Start-Sleep -Milliseconds 20
            }
            $holder.StandardInput.WriteLine('go')
            $holder.StandardOutput.ReadLine() | Should -Be 'released, nothing written while locked'
            $second.WaitForExit(120000) | Should -BeTrue
            $second.StandardOutput.ReadToEnd().Trim() | Should -Be 'Added'
            Get-Content -Raw -LiteralPath (Join-Path $profileDir 'pkcs11.txt') | Should -Match 'name=Busy test'
        }
        finally {
            $env:EKENG_FOLDER_WAIT_SECONDS = $saved
            if (-not $holder.HasExited) { $holder.Kill($true) }
            $holder.WaitForExit(10000) | Out-Null
        }
    }
}

Describe 'Set-FirefoxCryptoModule: %VARIABLE% in the library path (no Firefox needed)' {
    BeforeAll {
        $script:VarProfile = Join-Path $Root 'var profile'
        New-Item -ItemType Directory -Force $VarProfile | Out-Null
        $script:VarLibDir = Join-Path $Root 'lib dir'
        New-Item -ItemType Directory -Force $VarLibDir | Out-Null
        [IO.File]::WriteAllBytes((Join-Path $VarLibDir 'libtest.so'), [byte[]](0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 62, 0))
        $env:EKENG_TEST_LIBDIR = $VarLibDir
    }

    AfterAll { $env:EKENG_TEST_LIBDIR = $null }

    It 'expands %EKENG_TEST_LIBDIR% before writing: pkcs11.txt holds the real path' {
        $result = Set-FirefoxCryptoModule -ProfilePath $VarProfile -Path '%EKENG_TEST_LIBDIR%/libtest.so' -Name 'Var test' -Force
        $result.Status | Should -Be 'Added'
        $result.Library | Should -Be (Join-Path $VarLibDir 'libtest.so')
        $text = Get-Content -Raw -LiteralPath (Join-Path $VarProfile 'pkcs11.txt')
        $text | Should -Match ([regex]::Escape("library=$(Join-Path $VarLibDir 'libtest.so')"))
        $text | Should -Not -Match '%'
    }

    It 'refuses an unexpanded %VARIABLE% with UnexpandedLibraryPath, writes nothing and reports no Added' {
        $before = [IO.File]::ReadAllBytes((Join-Path $VarProfile 'pkcs11.txt'))
        # Whatever the command writes before it ends is collected by the pipeline, so an object sent before the error
        # (an 'Added') would be seen here.
        $out = [Collections.Generic.List[object]]::new()
        $caught = $null
        try {
            Set-FirefoxCryptoModule -ProfilePath $VarProfile -Path '%EKENG_NO_SUCH_VARIABLE%/lib.so' -Name 'Unset' -Force -ErrorAction Stop |
                ForEach-Object { $out.Add($_) }
        }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'UnexpandedLibraryPath,*'
        $out.Count | Should -Be 0
        [Linq.Enumerable]::SequenceEqual([IO.File]::ReadAllBytes((Join-Path $VarProfile 'pkcs11.txt')), $before) | Should -BeTrue
    }

    It 'Test- and Remove- expand %EKENG_TEST_LIBDIR% as Set- does' {
        Test-FirefoxCryptoModule -ProfilePath $VarProfile -Path '%EKENG_TEST_LIBDIR%/libtest.so' -Name 'Var test' | Should -BeTrue
        $removed = Remove-FirefoxCryptoModule -ProfilePath $VarProfile -Path '%EKENG_TEST_LIBDIR%/libtest.so' -Name 'No such name' -Confirm:$false
        $removed.Status | Should -Be 'Removed'
        Get-Content -Raw -LiteralPath (Join-Path $VarProfile 'pkcs11.txt') | Should -Not -Match 'libtest'
    }

    It '<Command> refuses an unexpanded %VARIABLE% with UnexpandedLibraryPath, as Set- does' -TestCases @(
        @{ Command = 'Test-FirefoxCryptoModule'; Extra = @{} }
        @{ Command = 'Remove-FirefoxCryptoModule'; Extra = @{ Confirm = $false } }
    ) {
        param($Command, $Extra)
        { & $Command -ProfilePath $VarProfile -Path '%EKENG_NO_SUCH_VARIABLE%/lib.so' @Extra -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnexpandedLibraryPath,*'
    }
}

Describe 'Get-EkengCard | Set-FirefoxCryptoModule: the library that read the card (SoftHSM card, no Firefox needed)' -Skip:$RigSkip {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../rigs/SoftHsmRig.psm1') -Force
        $script:SavedPkcs11 = $env:EKENG_PKCS11_MODULE
        $env:EKENG_PKCS11_MODULE = $null
        $script:HsmCard = New-SoftHsmCard -Puk (ConvertTo-SecureString -String '86420975' -AsPlainText -Force)
        $script:CardProfile = Join-Path $Root 'card profile'
        New-Item -ItemType Directory -Force $CardProfile | Out-Null
    }

    AfterAll {
        Remove-SoftHsmCard
        $env:EKENG_PKCS11_MODULE = $SavedPkcs11
    }

    It 'registers the card''s Pkcs11Module, bound by property name' {
        $card = @(Get-EkengCard -Pkcs11Module $HsmCard.ModulePath | Where-Object { $_.Tokens.Count -gt 0 })
        $card.Count | Should -Be 1
        $card[0].Pkcs11Module | Should -Be '/usr/lib/softhsm/libsofthsm2.so'
        $result = $card | Set-FirefoxCryptoModule -ProfilePath $CardProfile -Name 'Card pipeline'
        $result.Status | Should -Be 'Added'
        $result.Library | Should -Be $card[0].Pkcs11Module
        Get-Content -Raw -LiteralPath (Join-Path $CardProfile 'pkcs11.txt') | Should -Match ([regex]::Escape("library=$($card[0].Pkcs11Module)"))
        $card | Test-FirefoxCryptoModule -ProfilePath $CardProfile -Name 'Card pipeline' | Should -BeTrue
    }
}
