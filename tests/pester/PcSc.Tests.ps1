# Get-EkengCard and the PC/SC layer against a REAL pcscd with vsmartcard's vpcd and our virtual card.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -NeedsRoot -Command pcscd, perl -Rig Pcsc
}

BeforeAll {
    $script:RigModule = Join-Path $PSScriptRoot '../rigs/PcscRig.psm1'
    Import-TestRig Pcsc
    $script:ExpectedAtr = '3BDC18FF8191FE1FC38073C821136605036351000250'
    # The rig starts before the module touches PC/SC: libpcsclite reads the socket path once per process.
    $script:Rig = Start-PcscRig
    $script:Reader0 = $Rig.ReaderNames[0]
    Import-TestRig -BuiltModule
    # The virtual ARMID card has no middleware here: each command warns so (a test checks it with -WarningVariable,
    # which fills even when the warning is not shown); the test log stays quiet.
    $script:WarningPreference = 'SilentlyContinue'
}

AfterAll {
    if (Get-Command Stop-PcscRig -ErrorAction Ignore) { Stop-PcscRig }
}

Describe 'Get-EkengCard over real PC/SC' -Skip:([bool]$Skip) {
    Context 'no card' {
        It 'returns one object per reader, each without a card' {
            $cards = @(Get-EkengCard)
            $cards.Count | Should -Be 2
            $cards.Reader | Should -Be @($Rig.ReaderNames)
            $cards | ForEach-Object {
                $_.CardPresent | Should -BeFalse
                $_.State | Should -Be 'Absent'
                $_.Atr | Should -BeNullOrEmpty
                $_.IsArmid | Should -BeFalse
            }
        }

        It '-Wait times out with a clear error' {
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $err = $null
            try { Get-EkengCard -Wait -Timeout 1 -ErrorAction Stop } catch { $err = $_ }
            # It did wait its second; the upper bound is a generous deadline (a hang), not a speed bound.
            $sw.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 60
            $err.FullyQualifiedErrorId | Should -Be 'CardWaitTimeout,Ekeng.PowerShell.Commands.GetEkengCardCommand'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.Exception.Message | Should -Be 'No card was inserted within 1 second(s).'
        }

        It '-Wait ends on Ctrl+C (pipeline stop), long before its timeout, and cleanly' {
            # Events, not sleeps: the command says (Debug) that it is waiting, then the stop is asked; the stop must end
            # it well within a generous deadline (60 s) that is far below its -Timeout (300 s). Speed is Bench's.
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$env:EKENG_MODULE_PATH'; `$DebugPreference = 'Continue'; Get-EkengCard -Wait -Timeout 300")
                $async = $ps.BeginInvoke()
                # By index: enumerating an open PSDataCollection blocks until the pipeline ends.
                $debug = $ps.Streams.Debug
                $waiting = $false
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                while (-not $waiting -and -not $async.IsCompleted -and [datetime]::UtcNow -lt $deadline) {
                    for ($i = 0; $i -lt $debug.Count; $i++) { if ($debug[$i].Message -match '^Waiting up to 300 s for a card') { $waiting = $true } }
                    if (-not $waiting) { Start-Sleep -Milliseconds 20 }
                }
                $waiting | Should -BeTrue -Because 'the command says it waits for a card'

                $ps.InvocationStateInfo.State | Should -Be 'Running'
                $stop = $ps.BeginStop($null, $null)
                $stop.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(60)) | Should -BeTrue -Because 'Ctrl+C ends the wait, not its timeout'
                $ps.EndStop($stop)
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $async.IsCompleted | Should -BeTrue
                $ps.Streams.Error.Count | Should -Be 0
            }
            finally { $ps.Dispose() }
            # The reader is still usable afterwards: the cancelled context was released.
            @(Get-EkengCard).Count | Should -Be 2
        }

        It '-Wait returns when the card is inserted during the wait' {
            $job = Start-ThreadJob -ArgumentList $Rig, $RigModule {
                param($rig, $module)
                Import-Module $module
                Start-Sleep -Milliseconds 1500
                Add-VirtualCard -Rig $rig -Slot 0 | Out-Null
            }
            try {
                $sw = [System.Diagnostics.Stopwatch]::StartNew()
                $card = Get-EkengCard -Wait -Timeout 20
                $sw.Stop()
            }
            finally {
                $job | Wait-Job -Timeout 20 | Receive-Job
                $job | Remove-Job -Force
            }
            $sw.Elapsed.TotalSeconds | Should -BeGreaterThan 1.2
            $card.Reader | Should -Be $Reader0
            $card.CardPresent | Should -BeTrue
            $card.Atr | Should -Be $ExpectedAtr
        }
    }

    Context 'card present' {
        BeforeAll {
            if (-not @(Get-EkengCard -Reader $Reader0 | Where-Object CardPresent)) { Add-VirtualCard -Rig $Rig -Slot 0 | Out-Null }
        }

        It 'shows the reader, the ATR and recognises the ARMID card' {
            $card = Get-EkengCard -Reader $Reader0
            $card | Should -BeOfType Ekeng.Cards.EkengCard
            $card.CardPresent | Should -BeTrue
            $card.State | Should -BeIn 'Present', 'InUse'
            $card.Atr | Should -Be $ExpectedAtr
            $card.IsArmid | Should -BeTrue
            (Get-EkengCard -Reader $Rig.ReaderNames[1]).CardPresent | Should -BeFalse
        }

        It 'filters readers by wildcard and reports a missing exact name' {
            @(Get-EkengCard -Reader '*00 00').Reader | Should -Be @($Reader0)
            @(Get-EkengCard -Reader 'nothing-like-this*').Count | Should -Be 0
            $out = Get-EkengCard -Reader 'No Such Reader' -ErrorVariable errs -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -Be 'ReaderNotFound,Ekeng.PowerShell.Commands.GetEkengCardCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'takes reader names from the pipeline' {
            @($Rig.ReaderNames | Get-EkengCard).Count | Should -Be 2
        }

        It 'completes -Reader with the connected readers' {
            $line = 'Get-EkengCard -Reader Ekeng'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Contain "'$Reader0'"
        }

        It 'prints the reader and the ATR from a plain pwsh command line' {
            $out = Invoke-ChildPwsh -Command "Import-Module '$env:EKENG_MODULE_PATH'; Get-EkengCard -WarningAction SilentlyContinue | Format-List | Out-String -Width 200"
            $LASTEXITCODE | Should -Be 0
            $text = $out -join "`n"
            $text | Should -Match ([regex]::Escape($Reader0))
            $text | Should -Match $ExpectedAtr
        }

        It 'an ARMID card without its middleware: <Command> warns naming CryptoCard Suite, the paths and where to get it; OpenSC never talks to the card' -TestCases @(
            @{ Command = 'Get-EkengCertificate'; ErrorIds = @() }
            @{ Command = 'Get-EkengCard -Reader $args[0] | Get-EkengCertificate'; ErrorIds = @() }
            @{ Command = 'Initialize-EkengPin -WhatIf'; ErrorIds = @('CardNotFound,Ekeng.PowerShell.Commands.InitializeEkengPinCommand') }
            @{ Command = 'Get-EkengCard -Reader $args[0] | Initialize-EkengPin -WhatIf'; ErrorIds = @('TokenNotFound,Ekeng.PowerShell.Commands.InitializeEkengPinCommand') }
        ) {
            param($Command, $ErrorIds)
            # The card's middleware is not installed here (OpenSC may be: it has no driver for ARMID cards).
            if (Test-Path /usr/lib/ccs/libccpkip11.so) { Set-ItResult -Skipped -Because 'CryptoCard Suite is installed' }
            $saved = $env:EKENG_PKCS11_MODULE
            $env:EKENG_PKCS11_MODULE = $null
            $apdusBefore = @(Get-VirtualCardEvents -Rig $Rig -Slot 0 -Pattern '^APDU').Count
            try {
                # Non-terminating errors land in $e; a terminating one (no card to act on) is caught and kept, nothing else.
                $block = [scriptblock]::Create("`$e = @(); try { $Command -WarningVariable +w -ErrorVariable +e -ErrorAction SilentlyContinue } catch [System.Management.Automation.RuntimeException] { `$e += `$_ }; `$w; `$e")
                $records = @(& $block $Reader0 2>$null)
            }
            finally { $env:EKENG_PKCS11_MODULE = $saved }
            $warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            @($errors.FullyQualifiedErrorId | Select-Object -Unique) | Should -Be $ErrorIds
            # OpenSC probing a card sends it dozens of APDUs (SELECTs of each of its drivers); none may reach it.
            @(Get-VirtualCardEvents -Rig $Rig -Slot 0 -Pattern '^APDU').Count | Should -Be $apdusBefore -Because 'OpenSC is not probed for an ARMID card'
            $text = ($warnings | ForEach-Object Message) -join "`n"
            $text | Should -Match 'CryptoCard Suite'
            $text | Should -Match ([regex]::Escape('/usr/lib/ccs/libccpkip11.so'))
            $text | Should -Match 'ekeng\.am'
            $text | Should -Match ([regex]::Escape($Reader0))
        }

        It 'exchanges APDUs through our P/Invoke layer: SELECT, GET RESPONSE on 61xx, resend on 6Cxx' {
            $context = [Ekeng.PcSc.PcScContext]::Establish($null)
            try {
                $card = $context.Connect($Reader0)
                try {
                    $select = $card.Transmit([Ekeng.PcSc.Hex]::Parse('00A4040C0CA000000063504B43532D3135'))
                    $select.StatusWord | Should -Be 0x9000
                    $long = $card.Transmit([Ekeng.PcSc.Hex]::Parse('00CA010000'))
                    $long.StatusWord | Should -Be 0x9000
                    $long.Data.Length | Should -Be 200
                    $long.Data[199] | Should -Be 199
                    $file = $card.Transmit([Ekeng.PcSc.Hex]::Parse('00B0000005'))
                    $file.StatusWord | Should -Be 0x9000
                    [System.Text.Encoding]::ASCII.GetString($file.Data) | Should -Be 'ARMID VIRTUAL EF'
                    $bad = $card.Transmit([Ekeng.PcSc.Hex]::Parse('00FF000000'))
                    $bad.StatusWord | Should -Be 0x6D00
                }
                finally { $card.Dispose() }
            }
            finally { $context.Dispose() }
            $events = Get-VirtualCardEvents -Rig $Rig -Slot 0 -Pattern '^APDU'
            $events | Should -Contain ('APDU 00C00000C8 -> ' + (-join (0..199 | ForEach-Object { '{0:X2}' -f $_ })) + '9000')
            @($events | Where-Object { $_ -like 'APDU 00B0000010 *' }).Count | Should -BeGreaterThan 0
        }

        It 're-reads the card with a reset (the manual''s remove and insert)' {
            $from = @(Get-VirtualCardEvents -Rig $Rig -Slot 0).Count
            [Ekeng.Cards.ReaderService]::new($null).ResetCard($Reader0)
            Wait-VirtualCardEvent -Rig $Rig -Slot 0 -Pattern '^(RESET|POWER_OFF)$' -From $from -TimeoutSeconds 5 | Should -Not -BeNullOrEmpty
            (Get-EkengCard -Reader $Reader0).CardPresent | Should -BeTrue
        }

        It 'sees the card removed and inserted again' {
            Dismount-VirtualCard -Rig $Rig -Slot 0
            (Get-EkengCard -Reader $Reader0).State | Should -Be 'Absent'
            Mount-VirtualCard -Rig $Rig -Slot 0
            (Get-EkengCard -Reader $Reader0).Atr | Should -Be $ExpectedAtr
        }

        It 'waits for the manual''s "remove the card and insert it again": neither a card still in nor a removal alone ends it' {
            # Initialize-EkengPin -Wait's wait (ReaderService.WaitForReinsertion), against the real pcscd. Events, not
            # sleeps: each step is taken once the wait says (Debug) what it waits for, and the wait must still run.
            $log = [Ekeng.Diagnostics.QueuedLoggerProvider]::new('Trace')
            $seen = [System.Collections.Generic.List[string]]::new()
            function Wait-LogLine([string] $pattern) {
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                $found = $false
                while (-not $found -and [datetime]::UtcNow -lt $deadline) {
                    $entry = $null
                    while ($log.TryDequeue([ref]$entry)) { $seen.Add($entry.Message) }
                    $found = [bool]($seen | Where-Object { $_ -match $pattern })
                    if (-not $found) { Start-Sleep -Milliseconds 20 }
                }
                if (-not $found) { throw "No log line matched '$pattern': $($seen -join ' | ')" }
            }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($log, $reader) [Ekeng.Cards.ReaderService]::new($log.CreateLogger("test")).WaitForReinsertion($reader, [timespan]::FromSeconds(120), [Threading.CancellationToken]::None)').AddArgument($log).AddArgument($Reader0)
                $async = $ps.BeginInvoke()
                $from = @(Get-VirtualCardEvents -Rig $Rig -Slot 0).Count
                Wait-LogLine 'for the card to be removed from'
                $async.IsCompleted | Should -BeFalse -Because 'the card still in the reader is not a re-insertion'
                Dismount-VirtualCard -Rig $Rig -Slot 0
                Wait-LogLine 'was removed from .*waiting for it to be inserted again'
                $async.IsCompleted | Should -BeFalse -Because 'a removal alone is not a re-insertion'
                Mount-VirtualCard -Rig $Rig -Slot 0
                $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(60)) | Should -BeTrue -Because 'the card is back'
                $card = @($ps.EndInvoke($async))[0]
                $ps.Streams.Error.Count | Should -Be 0
                $card.Reader | Should -Be $Reader0
                $card.CardPresent | Should -BeTrue
                $card.Atr | Should -Be $ExpectedAtr
                @(Get-VirtualCardEvents -Rig $Rig -Slot 0 | Select-Object -Skip $from | Where-Object { $_ -match '^(DISCONNECTED|CONNECTED)$' }) | Should -Be @('DISCONNECTED', 'CONNECTED')
            }
            finally { $ps.Dispose() }
        }

        It 'a card not taken out ends the wait with PcscTimeout (Initialize-EkengPin -Wait says CardWaitTimeout, PINs WERE set)' {
            $err = $null
            try { [Ekeng.Cards.ReaderService]::new($null).WaitForReinsertion($Reader0, [timespan]::FromSeconds(1), [Threading.CancellationToken]::None) } catch { $err = $_ }
            $err.Exception.InnerException.ErrorId | Should -Be 'PcscTimeout'
            (Get-EkengCard -Reader $Reader0).CardPresent | Should -BeTrue
        }
    }

    Context 'pcscd stopped' {
        It 'fails with one clear error, no DllNotFoundException and no stack trace' {
            Stop-PcscRig
            $err = $null
            try { Get-EkengCard -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'PcscServiceUnavailable,Ekeng.PowerShell.Commands.GetEkengCardCommand'
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err.Exception | Should -BeOfType Ekeng.PcSc.PcScException
            $err.Exception.Message | Should -Match 'smart card service is not running'
            $err.ErrorDetails.RecommendedAction | Should -Match 'pcscd'
            ($err | Out-String) | Should -Not -Match '\bat Ekeng\.'
        }

        It 'says nothing in -Verbose that the PcscServiceUnavailable error contradicts' {
            $saved = $env:EKENG_PKCS11_MODULE
            $env:EKENG_PKCS11_MODULE = $null
            try { $records = @(try { Get-EkengCard -Verbose -ErrorAction Stop 4>&1 } catch { $_ }) }
            finally { $env:EKENG_PKCS11_MODULE = $saved }
            $records[-1].FullyQualifiedErrorId | Should -Be 'PcscServiceUnavailable,Ekeng.PowerShell.Commands.GetEkengCardCommand'
            $verbose = ($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
            $verbose | Should -Not -Match 'no other card is present|showing PC/SC readers'
        }
    }
}
