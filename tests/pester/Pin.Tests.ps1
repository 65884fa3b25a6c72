# The PIN lifecycle over PKCS#11 against REAL SoftHSM2 tokens (tests/rigs/SoftHsmRig.psm1), checked with OpenSC's
# pkcs11-tool as the independent witness. The FINAL_TRY/LOCKED guards are covered by xunit with a fake at the
# PKCS#11 boundary (SoftHSM never reports those states).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Rig SoftHsm
    # The card login (mutual TLS with the token key through OpenSSL's engine) also needs the sandbox and the engine.
    $script:LoginSkip = if ($Skip) { $Skip } else { Get-RigSkipReason -Rig CardLogin }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ScriptedHost.psm1') -Force
    Import-TestRig SoftHsm, Sandbox -BuiltModule
    # Test values, chosen so that no other output (serials, numbers, dates) contains them by chance.
    $script:PukText = '86420975'
    $script:Puk = Sec $PukText
    $script:Template = New-SoftHsmCard -Puk $Puk
    $script:SavedModule = $env:EKENG_PKCS11_MODULE
    $env:EKENG_PKCS11_MODULE = $Template.ModulePath
    function script:New-Card { Copy-SoftHsmCard -Card $Template }
    # A child pwsh per scenario: libp11 binds one PKCS#11 library per process and keeps it initialised, and this
    # file switches cards (which re-initialises SoftHSM) between tests. Its stderr is kept apart from its output.
    $script:LoginChild = {
        param($Module, $Helpers, $Scenario)
        $ErrorActionPreference = 'Stop'
        Import-Module $Helpers; Import-TestRig SoftHsm, Sandbox; Import-Module $Module
        $spy = @('/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
        try { & $Scenario $spy } finally { Set-NativeEnvironment 'PKCS11SPY' $null; Remove-SoftHsmCard }
    }
    function script:Invoke-LoginScenario([scriptblock] $Scenario) {
        $helpers = (Resolve-Path (Join-Path $PSScriptRoot 'TestHelpers.psm1')).Path
        $errFile = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-login-$PID-$([guid]::NewGuid().ToString('N')).stderr"
        try {
            $out = Invoke-ChildPwsh -Command "& { $LoginChild } '$env:EKENG_MODULE_PATH' '$helpers' { $Scenario }" -ErrorFile $errFile
            [pscustomobject]@{ Out = ($out -join "`n"); Err = (Get-Content -Raw -LiteralPath $errFile -ErrorAction Ignore) + '' }
        }
        finally { Remove-Item -LiteralPath $errFile -ErrorAction Ignore }
    }
    function script:Test-Login([object] $Card, [string] $Label, [string] $PinText) {
        $out = Invoke-Pkcs11Tool -Card $Card --token-label $Label --login --pin $PinText -O
        [pscustomobject]@{ Ok = ($LASTEXITCODE -eq 0); Text = ($out -join "`n") }
    }
}

AfterAll {
    if (Get-Command Remove-SoftHsmCard -ErrorAction Ignore) { Remove-SoftHsmCard }
    $env:EKENG_PKCS11_MODULE = $SavedModule
}

Describe 'Get-EkengCard with a PKCS#11 card (SoftHSM)' -Skip:([bool]$Skip) {
    BeforeAll { $script:Card1 = New-Card }

    It 'shows the two tokens as ONE card with the state of each PIN and of the PUK' {
        $cards = @(Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 })
        $cards.Count | Should -Be 1
        $c = $cards[0]
        $c | Should -BeOfType Ekeng.Cards.EkengCard
        $c.Reader | Should -BeNullOrEmpty
        $c.IsArmid | Should -BeTrue
        $c.Pkcs11Module | Should -Be $Template.ModulePath
        $c.SerialNumber | Should -Be $Template.AuthSerial
        @($c.Tokens.Label) | Should -Be @('ARMID (AuthPIN)', 'ARMID (SignPIN)')
        foreach ($pin in $c.AuthPin, $c.SignPin) {
            $pin.Initialized | Should -BeFalse
            $pin.State | Should -Be 'NotInitialized'
            $pin.MinLength | Should -Be 4
            $pin.MaxLength | Should -Be 255
            $pin.PukState | Should -Be 'Ready'
            $pin.Locked | Should -BeFalse
        }
        $c.AuthPin.Kind | Should -Be 'Auth'
        $c.SignPin.Kind | Should -Be 'Sign'
    }

    It 'shows the PIN states in its table view' {
        $text = Get-EkengCard | Out-String -Width 200
        $text | Should -Match 'AuthPIN'
        $text | Should -Match 'ARMID ec0a1d00c0000001\s+Present\s+True\s+NotInitialized\s+NotInitialized'
        ($(Get-EkengCard) | Format-List | Out-String -Width 200) | Should -Match 'Reader\s+: ARMID ec0a1d00c0000001'
    }

    It 'a -Pkcs11Module that does not exist is a clear error naming the path' {
        $err = $null
        try { Get-EkengCard -Pkcs11Module /nonexistent/libnothing.so -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'Pkcs11ModuleNotFound,Ekeng.PowerShell.Commands.GetEkengCardCommand'
        $err.Exception.Message | Should -Match '/nonexistent/libnothing.so'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
    }

    It 'without any PKCS#11 module and with the smart-card service down it fails with the PC/SC error only' {
        # "Down": the client library's socket points nowhere (as with pcscd stopped).
        $saved = $env:PCSCLITE_CSOCK_NAME
        $env:PCSCLITE_CSOCK_NAME = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-no-pcscd-$PID/pcscd.comm"
        try { $out = @(Invoke-ChildPwsh -Command "`$env:EKENG_PKCS11_MODULE=`$null; Import-Module '$env:EKENG_MODULE_PATH'; try { Get-EkengCard -ErrorAction Stop | ForEach-Object { 'OUTPUT' } } catch { 'ID=' + `$_.FullyQualifiedErrorId }") }
        finally { $env:PCSCLITE_CSOCK_NAME = $saved }
        $out | Should -Be @('ID=PcscServiceUnavailable,Ekeng.PowerShell.Commands.GetEkengCardCommand')
    }

    It '<Command> without a card piped and with the smart-card service down: PcscServiceUnavailable, not a crash' -TestCases @(
        @{ Command = 'Initialize-EkengPin'; Arguments = "-Puk (Sec '86420975') -Pin (Sec '24681357')" }
        @{ Command = 'Set-EkengPin'; Arguments = "-CurrentPin (Sec '24681357') -Pin (Sec '13572468')" }
        @{ Command = 'Unblock-EkengPin'; Arguments = "-PinKind Auth -Puk (Sec '86420975') -Pin (Sec '24681357') -Confirm:`$false" }
    ) {
        param($Command, $Arguments)
        $saved = $env:PCSCLITE_CSOCK_NAME
        $env:PCSCLITE_CSOCK_NAME = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-no-pcscd-$PID/pcscd.comm"
        try {
            $out = @(Invoke-ChildPwsh -Command (
                "`$env:EKENG_PKCS11_MODULE=`$null; Import-Module '$env:EKENG_MODULE_PATH'; function Sec([string] `$t) { ConvertTo-SecureString -String `$t -AsPlainText -Force }; " +
                "try { `$null = $Command $Arguments; 'IDS=' } catch { 'IDS=' + `$_.FullyQualifiedErrorId }"))
        }
        finally { $env:PCSCLITE_CSOCK_NAME = $saved }
        $out | Should -Be @("IDS=PcscServiceUnavailable,Ekeng.PowerShell.Commands.$($Command -replace '-', '')Command")
    }

    It 'joins tokens made by pkcs11-tool --init-token (each with its own serial) into one card' {
        $other = New-Card
        Remove-Item -Recurse -Force (Join-Path $other.TokenDirectory '*')
        foreach ($label in 'ARMID (AuthPIN)', 'ARMID (SignPIN)') {
            $slot = if ($label -like '*Auth*') { 0 } else { 1 }
            Invoke-Pkcs11Tool -Card $other --init-token --slot $slot --label $label --so-pin $PukText | Out-Null
            $LASTEXITCODE | Should -Be 0
        }
        $cards = @(Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 })
        $cards.Count | Should -Be 1
        $cards[0].AuthPin.State | Should -Be 'NotInitialized'
        $cards[0].SignPin.State | Should -Be 'NotInitialized'
        $cards[0].Tokens[0].SerialNumber | Should -Not -Be $cards[0].Tokens[1].SerialNumber
        # and such a card is activated like the rig's
        $done = Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '55550000')
        $done.AuthPin.State | Should -Be 'Ready'
        (Test-Login $other 'ARMID (SignPIN)' '55550000').Ok | Should -BeTrue
    }
}

Describe 'Initialize-EkengPin: checks before touching the card' -Skip:([bool]$Skip) {
    BeforeAll { $script:Card2 = New-Card }

    It '-WhatIf sends nothing and asks for nothing' {
        # In a runspace whose host records what -WhatIf shows (checked here, kept out of the test log).
        $r = Invoke-WithScriptedHost -Variables @{ ModulePath = $env:EKENG_MODULE_PATH } -Script "Import-Module `$ModulePath; Get-EkengCard | Initialize-EkengPin -WhatIf"
        $r.Output | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
        $r.Host.ScriptedUI.SecretPrompts | Should -Be 0
        ($r.Host.ScriptedUI.Written -join "`n") | Should -Match 'What if: .*Activate the PIN of ARMID \(AuthPIN\) and ARMID \(SignPIN\)'
        (Get-EkengCard).AuthPin.State | Should -Be 'NotInitialized'
        (Test-Login $Card2 'ARMID (AuthPIN)' '13572468').Text | Should -Match 'CKR_USER_PIN_NOT_INITIALIZED'
    }

    It 'refuses a PIN shorter than the token minimum: PinLengthOutOfRange, nothing sent' {
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '975') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinLengthOutOfRange,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $err.Exception.Message | Should -Match 'shorter than the token allows \(4\)'
        (Get-EkengCard).AuthPin.State | Should -Be 'NotInitialized'
    }

    It 'refuses a PIN with letters on ARMID tokens: PinNotDigits' {
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '12ab34') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinNotDigits,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
    }

    It 'refuses a new PIN equal to the PUK: PinEqualsPuk' {
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec $PukText) -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinEqualsPuk,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        (Get-EkengCard).SignPin.State | Should -Be 'NotInitialized'
    }

    It 'fails without a PUK in a non-interactive session (no prompt)' {
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PukRequired,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $err.ErrorDetails.RecommendedAction | Should -Match '-Puk'
    }

    It 'a wrong PUK: PukIncorrect with the tries state read back, not retried, the second token untouched' {
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk (Sec '11112222') -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PukIncorrect,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match "not accepted by 'ARMID \(AuthPIN\)'"
        $err.Exception.Message | Should -Match 'wrong PUK tries were counted'
        $err.Exception.Status.PukCountLow | Should -BeTrue
        $card = Get-EkengCard
        $card.AuthPin.PukState | Should -Be 'CountLow'
        $card.SignPin.PukState | Should -Be 'Ready'   # the PUK was not sent to the second token
        $card.AuthPin.State | Should -Be 'NotInitialized'
    }

    It 'without pipeline input and with several cards present: MultipleCards' {
        $extra = Join-Path $Card2.TokenDirectory 'extra'
        # a third ARMID token (another tool, another serial): the cards can no longer be paired into one
        Invoke-Pkcs11Tool -Card $Card2 --init-token --slot 2 --label 'ARMID (AuthPIN)' --so-pin $PukText | Out-Null
        # SoftHSM scans its token directory only at C_Initialize, and the module keeps the library initialised for
        # the life of the process: a token made by another process shows after the rig's test-only reset (a real
        # middleware reports a card inserted later through C_GetSlotList).
        Reset-Pkcs11Library
        try {
            $err = $null
            try { Initialize-EkengPin -Puk $Puk -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'MultipleCards,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Get-EkengCard'
        }
        finally {
            Get-ChildItem $Card2.TokenDirectory -Directory | Where-Object { (Get-Content -Raw -AsByteStream (Join-Path $_.FullName 'token.object')) -and -not (Select-String -Path (Join-Path $_.FullName 'token.object') -Pattern 'c000000' -Quiet) } | Remove-Item -Recurse -Force
            Reset-Pkcs11Library
        }
        @(Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 }).Count | Should -Be 1
    }
}

Describe 'The PIN lifecycle, checked with pkcs11-tool' -Skip:([bool]$Skip) {
    BeforeAll { $script:Card3 = New-Card }

    It 'activates both PINs with the PUK (a PIN with a leading zero) and outputs the card read again' {
        $card = Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '0123')
        $card | Should -BeOfType Ekeng.Cards.EkengCard
        $card.AuthPin.State | Should -Be 'Ready'
        $card.SignPin.State | Should -Be 'Ready'
        foreach ($label in 'ARMID (AuthPIN)', 'ARMID (SignPIN)') {
            $login = Test-Login $Card3 $label '0123'
            $login.Ok | Should -BeTrue -Because $login.Text
            $login.Text | Should -Match 'Private Key Object; RSA'
            $login.Text | Should -Match 'never extractable'
        }
    }

    It 'refuses a second activation without sending the PUK: PinAlreadyInitialized' {
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk (Sec '11112222') -Pin (Sec '0123') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinAlreadyInitialized,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Set-EkengPin'
        (Get-EkengCard).AuthPin.PukState | Should -Be 'Ready'   # a wrong PUK would have set COUNT_LOW
    }

    It 'Set-EkengPin changes the AuthPIN: the new PIN logs in, the old one no longer' {
        $card = Get-EkengCard | Set-EkengPin -PinKind Auth -CurrentPin (Sec '0123') -Pin (Sec '97531')
        $card.AuthPin.State | Should -Be 'Ready'
        (Test-Login $Card3 'ARMID (AuthPIN)' '97531').Ok | Should -BeTrue
        (Test-Login $Card3 'ARMID (AuthPIN)' '0123').Ok | Should -BeFalse
        (Test-Login $Card3 'ARMID (SignPIN)' '0123').Ok | Should -BeTrue
    }

    It 'Set-EkengPin with a wrong current PIN: PinIncorrect with the tries state, not retried' {
        $err = $null
        try { Get-EkengCard | Set-EkengPin -PinKind Sign -CurrentPin (Sec '99998888') -Pin (Sec '86868686') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinIncorrect,Ekeng.PowerShell.Commands.SetEkengPinCommand'
        $err.Exception.Status.CountLow | Should -BeTrue
        (Get-EkengCard).SignPin.State | Should -Be 'CountLow'
    }

    It 'Unblock-EkengPin without -PinKind when no PIN is locked: PinNotLocked, nothing sent' {
        $err = $null
        try { Get-EkengCard | Unblock-EkengPin -Puk $Puk -Pin (Sec '86868686') -Confirm:$false -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinNotLocked,Ekeng.PowerShell.Commands.UnblockEkengPinCommand'
    }

    It 'Unblock-EkengPin -PinKind Sign sets a new PIN for a forgotten one with the PUK' {
        $card = Get-EkengCard | Unblock-EkengPin -PinKind Sign -Puk $Puk -Pin (Sec '86868686') -Confirm:$false
        $card.SignPin.State | Should -Be 'Ready'
        (Test-Login $Card3 'ARMID (SignPIN)' '86868686').Ok | Should -BeTrue
        (Test-Login $Card3 'ARMID (AuthPIN)' '97531').Ok | Should -BeTrue
    }

    It 'activates with separate PINs per token on a new card' {
        $fresh = New-Card
        $card = Get-EkengCard | Initialize-EkengPin -Puk $Puk -AuthPin (Sec '10203040') -SignPin (Sec '50607080')
        $card.AuthPin.State | Should -Be 'Ready'
        (Test-Login $fresh 'ARMID (AuthPIN)' '10203040').Ok | Should -BeTrue
        (Test-Login $fresh 'ARMID (SignPIN)' '50607080').Ok | Should -BeTrue
        (Test-Login $fresh 'ARMID (SignPIN)' '10203040').Ok | Should -BeFalse
    }

    It 'activates only the PIN asked for with -PinKind, on the single card present (no pipeline input)' {
        $fresh = New-Card
        $card = Initialize-EkengPin -PinKind Sign -Puk $Puk -Pin (Sec '31415926')
        $card.SignPin.State | Should -Be 'Ready'
        $card.AuthPin.State | Should -Be 'NotInitialized'
    }
}

Describe 'The pipeline of the manual''s first procedure' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Card4 = New-Card
        $script:pin = Sec '27182818'
        $script:puk = $Puk
    }

    It 'Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $pin | Get-EkengCertificate works as written' {
        $certs = @(Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $pin | Get-EkengCertificate)
        $certs.Count | Should -Be 2
        $certs | Should -BeOfType Ekeng.Certificates.EkengCertificate
        @($certs.Kind) | Should -Be @('Authentication', 'Signing')
        foreach ($c in $certs) {
            $c.HolderName | Should -Be 'ARMEN SARGSYAN'
            $c.PublicServiceNumber | Should -Be '1234567890'
            $c.Issuer | Should -Match 'CN=Ekeng Test Citizen CA'
            $c.DaysLeft | Should -BeGreaterThan 1000
            $c.KindMatchesKeyUsage | Should -BeTrue
            $c.Certificate | Should -BeOfType System.Security.Cryptography.X509Certificates.X509Certificate2
            $c.Certificate.HasPrivateKey | Should -BeFalse
        }
        $auth = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Card4.AuthCertificate)
        $certs[0].Thumbprint | Should -Be $auth.Thumbprint
        (Test-Login $Card4 'ARMID (AuthPIN)' '27182818').Ok | Should -BeTrue
    }

    It 'Get-EkengCertificate -Kind <Kind> needs no PIN and has a table view' -TestCases @(
        @{ Kind = 'Sign'; Expected = 'Signing' }
        @{ Kind = 'Signing'; Expected = 'Signing' }
        @{ Kind = 'Auth'; Expected = 'Authentication' }
        @{ Kind = 'authentication'; Expected = 'Authentication' }
    ) {
        param($Kind, $Expected)
        $found = @(Get-EkengCard | Get-EkengCertificate -Kind $Kind)
        $found.Count | Should -Be 1
        $found[0].Kind | Should -Be $Expected
        ($found | Out-String -Width 200) | Should -Match "$Expected\s+ARMEN SARGSYAN\s+1234567890"
    }

    It 'Get-EkengCertificate -Kind Auth, Sign returns both; a certificate''s own Kind works as the argument' {
        @(Get-EkengCard | Get-EkengCertificate -Kind Auth, Sign).Count | Should -Be 2
        $sign = Get-EkengCard | Get-EkengCertificate -Kind Sign
        (Get-EkengCard | Get-EkengCertificate -Kind $sign.Kind).Thumbprint | Should -Be $sign.Thumbprint
    }
}

Describe 'Secrets never appear in any stream, transcript, error record or exception' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Secrets = @{ Puk = $PukText; WrongPuk = '64646464'; Pin = '73737373'; Pin2 = '82828282'; NotDigits = '73918462x'; Wrong = '46464646'; Confirm1 = '51515151'; Confirm2 = '52525252' }
        $script:Seen = [System.Collections.Generic.List[string]]::new()
        function script:Add-Seen([object[]] $records) {
            foreach ($r in $records) {
                if ($null -eq $r) { continue }
                $Seen.Add(($r | Out-String -Width 400))
                if ($r -is [System.Management.Automation.ErrorRecord]) {
                    $Seen.Add($r.ToString()); $Seen.Add("$($r.FullyQualifiedErrorId) $($r.TargetObject) $($r.ErrorDetails) $($r.ErrorDetails.RecommendedAction)")
                    $e = $r.Exception
                    while ($e) { $Seen.Add($e.ToString()); $Seen.Add($e.Message); $e = $e.InnerException }
                }
            }
        }
    }

    It 'runs every PIN cmdlet with -Verbose -Debug, failing cases included, and no secret text shows anywhere' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-pin-transcript-$PID.txt"
        $card = New-Card
        # The cases run in a child PowerShell: what its host shows (and its transcript holds) is captured there, not
        # printed into the test log. The secrets travel in an environment variable, not on its command line.
        $env:EKENG_TEST_SECRETS = $Secrets | ConvertTo-Json -Compress
        $child = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$env:EKENG_MODULE_PATH'
`$plain = `$env:EKENG_TEST_SECRETS | ConvertFrom-Json -AsHashtable
`$env:EKENG_TEST_SECRETS = `$null
`$s = @{}; foreach (`$k in `$plain.Keys) { `$s[`$k] = ConvertTo-SecureString -String `$plain[`$k] -AsPlainText -Force }
`$plain = `$null
function Show-Seen([object[]] `$records) {
    foreach (`$r in `$records) {
        if (`$null -eq `$r) { continue }
        `$r | Out-String -Width 400
        if (`$r -is [System.Management.Automation.ErrorRecord]) {
            `$r.ToString(); "`$(`$r.FullyQualifiedErrorId) `$(`$r.TargetObject) `$(`$r.ErrorDetails) `$(`$r.ErrorDetails.RecommendedAction)"
            `$e = `$r.Exception
            while (`$e) { `$e.ToString(); `$e.Message; `$e = `$e.InnerException }
        }
    }
}
`$cases = @(
    { Get-EkengCard | Initialize-EkengPin -Puk `$s.WrongPuk -Pin `$s.Pin -Verbose -Debug },           # wrong PUK
    { Get-EkengCard | Initialize-EkengPin -Puk `$s.Puk -Pin `$s.NotDigits -Verbose -Debug },          # not digits (refused before the card)
    { Get-EkengCard | Initialize-EkengPin -Puk `$s.Puk -Pin `$s.Puk -Verbose -Debug },                # PIN = PUK
    { Get-EkengCard | Initialize-EkengPin -Puk `$s.Puk -Verbose -Debug },                            # non-interactive, no PIN
    { Get-EkengCard | Initialize-EkengPin -Puk `$s.Puk -Pin `$s.Pin -Verbose -Debug },                # success
    { Get-EkengCard | Set-EkengPin -CurrentPin `$s.Wrong -Pin `$s.Pin2 -Verbose -Debug },             # wrong current PIN
    { Get-EkengCard | Set-EkengPin -PinKind Auth -Pin `$s.Pin2 -Verbose -Debug },                    # non-interactive, no current PIN
    { Get-EkengCard | Set-EkengPin -PinKind Auth -CurrentPin `$s.Pin -Pin `$s.Pin2 -Verbose -Debug }, # success
    { Get-EkengCard | Unblock-EkengPin -PinKind Sign -Puk `$s.WrongPuk -Pin `$s.Pin2 -Confirm:`$false -Verbose -Debug }, # wrong PUK
    { Get-EkengCard | Unblock-EkengPin -PinKind Sign -Puk `$s.Puk -Pin `$s.Pin2 -Confirm:`$false -Verbose -Debug },      # success
    { Get-EkengCard | Get-EkengCertificate -Verbose -Debug }
)
`$counts = @{ Error = 0; Verbose = 0; Debug = 0 }
`$DebugPreference = 'Continue'
Start-Transcript -Path '$transcript' -Force | Out-Null
foreach (`$case in `$cases) {
    `$records = try { @(& `$case *>&1) } catch { @(`$_) }
    Show-Seen `$records
    `$counts.Error += @(`$records | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] }).Count
    `$counts.Verbose += @(`$records | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] }).Count
    `$counts.Debug += @(`$records | Where-Object { `$_ -is [System.Management.Automation.DebugRecord] }).Count
    `$records | Out-Host   # through the host, so that the transcript holds what a user would see
}
Stop-Transcript | Out-Null
`$DebugPreference = 'SilentlyContinue'
Show-Seen @(`$Error)
"COUNTS `$(`$counts.Error) `$(`$counts.Verbose) `$(`$counts.Debug)"
"@
        try { $lines = @(Invoke-ChildPwsh -Command $child) }
        finally { $env:EKENG_TEST_SECRETS = $null }
        $counts = @($lines | Where-Object { $_ -match '^COUNTS \d+ \d+ \d+$' })
        $counts.Count | Should -Be 1 -Because "the child ran to its end:`n$($lines -join "`n")"
        $errorsSeen, $verboseSeen, $debugSeen = ($counts[0] -split ' ')[1..3] | ForEach-Object { [int]$_ }
        $errorsSeen | Should -BeGreaterOrEqual 6
        $verboseSeen | Should -BeGreaterThan 5
        $debugSeen | Should -BeGreaterThan 5
        $Seen.Add(($lines -join "`n"))
        (Test-Path -LiteralPath $transcript) | Should -BeTrue
        $transcriptText = Get-Content -Raw -LiteralPath $transcript
        $transcriptText | Should -Match 'PukIncorrect|The PUK was not accepted' -Because 'the transcript holds what the user saw'
        $Seen.Add($transcriptText)
        Remove-Item -LiteralPath $transcript -ErrorAction Ignore

        # The cases really ran: the wrong PUK, the PIN with a letter and the missing PIN were reported, and the PIN changes happened.
        $all = $Seen -join "`n"
        $all | Should -Match 'PukIncorrect'
        $all | Should -Match 'PinNotDigits'
        $all | Should -Match 'PinRequired'
        $all | Should -Match 'CurrentPinRequired'
        $all | Should -Match 'PinIncorrect'
        $all | Should -Match "Setting the PIN of 'ARMID \(AuthPIN\)' in slot \d+ with the PUK"
        $all | Should -Match 'C_Login on .ARMID \(AuthPIN\). returned CKR_PIN_INCORRECT'
        (Test-Login $card 'ARMID (AuthPIN)' $Secrets.Pin2).Ok | Should -BeTrue
        (Test-Login $card 'ARMID (SignPIN)' $Secrets.Pin2).Ok | Should -BeTrue
        foreach ($name in $Secrets.Keys) {
            $all.Contains($Secrets[$name]) | Should -BeFalse -Because "the $name value must not appear in any output"
        }
    }

    It 'prompts through the host, asks a new PIN twice, and a mismatched confirmation sends nothing and shows no secret' {
        $card = New-Card
        $r = Invoke-WithScriptedHost -Answers @($Secrets.Puk, $Secrets.Confirm1, $Secrets.Confirm2) -Variables @{ ModulePath = $env:EKENG_MODULE_PATH } -Script @'
Import-Module $ModulePath
$DebugPreference = 'Continue'
Get-EkengCard | Initialize-EkengPin -Verbose -Debug
'@
        $r.Host.ScriptedUI.SecretPrompts | Should -Be 3   # the PUK, the new PIN, the new PIN again
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'PinConfirmationMismatch,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        (Get-EkengCard).AuthPin.State | Should -Be 'NotInitialized'
        (Get-EkengCard).AuthPin.PukState | Should -Be 'Ready'
        Add-Seen @($r.Streams)
        $Seen.Add(($r.Host.ScriptedUI.Written -join "`n"))
        $all = $Seen -join "`n"
        foreach ($name in $Secrets.Keys) {
            $all.Contains($Secrets[$name]) | Should -BeFalse -Because "the $name value must not appear in any output"
        }
    }

    It 'prompted values work end to end: PUK once, each new PIN twice, then pkcs11-tool logs in' {
        $card = New-Card
        $r = Invoke-WithScriptedHost -Answers @($Secrets.Puk, $Secrets.Pin, $Secrets.Pin, $Secrets.Pin2, $Secrets.Pin2) -Variables @{ ModulePath = $env:EKENG_MODULE_PATH } -Script @'
Import-Module $ModulePath
Get-EkengCard | Initialize-EkengPin
'@
        $r.Errors | Should -BeNullOrEmpty
        $r.Host.ScriptedUI.SecretPrompts | Should -Be 5
        ($r.Host.ScriptedUI.Written -join '|') | Should -Match "New PIN for 'ARMID \(AuthPIN\)' \(again, to confirm\)"
        (Test-Login $card 'ARMID (AuthPIN)' $Secrets.Pin).Ok | Should -BeTrue
        (Test-Login $card 'ARMID (SignPIN)' $Secrets.Pin2).Ok | Should -BeTrue
    }
}

Describe 'PKCS#11 calls: no more than pkcs11-tool for both activations (pkcs11-spy)' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Spy = @('/usr/lib/x86_64-linux-gnu/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib64/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
        $script:SpyLog = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-pester-spy-$PID.log"
        function script:Get-SpyCalls([scriptblock] $Action) {
            Remove-Item -LiteralPath $SpyLog -ErrorAction Ignore
            Set-NativeEnvironment PKCS11SPY $Template.ModulePath
            Set-NativeEnvironment PKCS11SPY_OUTPUT $SpyLog
            try { & $Action }
            finally {
                Set-NativeEnvironment PKCS11SPY_OUTPUT $null
                Set-NativeEnvironment PKCS11SPY $null
            }
            $calls = @(Select-String -LiteralPath $SpyLog -Pattern '^\d+: (C_\w+)' | ForEach-Object { $_.Matches[0].Groups[1].Value })
            Remove-Item -LiteralPath $SpyLog   # the spy logs the test PUK and PIN bytes: not kept
            , $calls
        }
    }

    It 'Initialize-EkengPin on both tokens: one C_Initialize, no C_Finalize, and at most as many calls as pkcs11-tool' {
        if (-not $Spy) { Set-ItResult -Skipped -Because 'pkcs11-spy.so (opensc) is not installed' }
        $toolCard = (New-Card).PSObject.Copy()
        $toolCard.ModulePath = $Spy
        $tool = Get-SpyCalls {
            foreach ($label in 'ARMID (AuthPIN)', 'ARMID (SignPIN)') {
                Invoke-Pkcs11Tool -Card $toolCard --token-label $label --login --login-type so --so-pin $PukText --init-pin --new-pin '24681357' | Out-Null
            }
        }
        $null = New-Card
        $ours = Get-SpyCalls {
            $card = Initialize-EkengPin -Puk $Puk -Pin (Sec '24681357') -Pkcs11Module $Spy
            $card.AuthPin.State | Should -Be 'Ready'
            $card.SignPin.State | Should -Be 'Ready'
        }
        @($tool | Where-Object { $_ -eq 'C_InitPIN' }).Count | Should -Be 2
        @($ours | Where-Object { $_ -eq 'C_InitPIN' }).Count | Should -Be 2
        @($ours | Where-Object { $_ -eq 'C_Initialize' }).Count | Should -Be 1
        @($ours | Where-Object { $_ -eq 'C_Finalize' }).Count | Should -Be 0
        $ours.Count | Should -BeLessOrEqual $tool.Count -Because "ours: $($ours -join ' ') / pkcs11-tool: $($tool -join ' ')"
    }
}

Describe 'Per-token secrets: no PIN or PUK try burned by our design (issue 7, item 10)' -Skip:([bool]$Skip) {
    It 'Set-EkengPin with a new PIN equal to the current one: PinUnchanged, nothing sent (no try spent)' {
        $fresh = New-Card
        Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '11223344') | Out-Null
        $err = $null
        try { Get-EkengCard | Set-EkengPin -CurrentPin (Sec '11223344') -Pin (Sec '11223344') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinUnchanged,Ekeng.PowerShell.Commands.SetEkengPinCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-EkengCard).AuthPin.State | Should -Be 'Ready'
        (Test-Login $fresh 'ARMID (AuthPIN)' '11223344').Ok | Should -BeTrue
    }

    It 'Unblock-EkengPin (ConfirmImpact High) in a non-interactive run without -Confirm:$false: ConfirmationRequired, nothing sent' {
        $fresh = New-Card
        Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '11223344') | Out-Null
        $out = @(Invoke-ChildPwsh -Command (
            "Import-Module '$env:EKENG_MODULE_PATH'; function Sec([string] `$t) { ConvertTo-SecureString -String `$t -AsPlainText -Force }; " +
            "try { Get-EkengCard | Unblock-EkengPin -PinKind Auth -Puk (Sec '$PukText') -Pin (Sec '55667788') -ErrorAction Stop | ForEach-Object { 'OUTPUT' } } catch { 'ID=' + `$_.FullyQualifiedErrorId }"))
        $out | Should -Be @('ID=ConfirmationRequired,Ekeng.PowerShell.Commands.UnblockEkengPinCommand')
        (Test-Login $fresh 'ARMID (AuthPIN)' '11223344').Ok | Should -BeTrue -Because 'the PIN was not replaced'
        (Get-EkengCard).AuthPin.PukState | Should -Be 'Ready'
    }

    It 'two cards piped, the first fails: a non-terminating error for it, and the second is processed' {
        $a = New-SoftHsmCard -Puk (Sec '11335577') -Serial 'a1a1a1a1'
        $b = New-SoftHsmCard -Puk $Puk -Serial 'b2b2b2b2' -TokenSuffixes 'c0000003', 'c0000004'
        $both = Join-SoftHsmCards -Cards $a, $b
        # Four tokens of one label and distinct serials: each AuthPIN token is a card of its own here.
        $cards = @(Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 -and $_.Tokens[0].Kind -eq 'Auth' } | Sort-Object { $_.Tokens[0].SerialNumber })
        @($cards | ForEach-Object { $_.Tokens[0].SerialNumber }) | Should -Be @($a.AuthSerial, $b.AuthSerial)
        $out = @($cards | Initialize-EkengPin -Puk $Puk -Pin (Sec '24681357') -ErrorAction SilentlyContinue -ErrorVariable failed)
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'PukIncorrect,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $out.Count | Should -Be 1
        $out[0].Tokens[0].SerialNumber | Should -Be $b.AuthSerial
        $out[0].AuthPin.State | Should -Be 'Ready'
    }

    It 'Set-EkengPin -CurrentAuthPin/-CurrentSignPin changes two different PINs, each with its own current PIN' {
        $fresh = New-Card
        Get-EkengCard | Initialize-EkengPin -Puk $Puk -AuthPin (Sec '11223344') -SignPin (Sec '55667788') | Out-Null
        $card = Get-EkengCard | Set-EkengPin -CurrentAuthPin (Sec '11223344') -CurrentSignPin (Sec '55667788') -Pin (Sec '24681357')
        $card.AuthPin.State | Should -Be 'Ready'
        $card.SignPin.State | Should -Be 'Ready'
        (Test-Login $fresh 'ARMID (AuthPIN)' '24681357').Ok | Should -BeTrue
        (Test-Login $fresh 'ARMID (SignPIN)' '24681357').Ok | Should -BeTrue
    }

    It 'one -CurrentPin that is wrong for the first token: nothing is sent to the second (its tries untouched)' {
        $fresh = New-Card
        Get-EkengCard | Initialize-EkengPin -Puk $Puk -AuthPin (Sec '11223344') -SignPin (Sec '55667788') | Out-Null
        $err = $null
        try { Get-EkengCard | Set-EkengPin -CurrentPin (Sec '99887766') -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinIncorrect,Ekeng.PowerShell.Commands.SetEkengPinCommand'
        $after = Get-EkengCard
        $after.AuthPin.State | Should -Be 'CountLow'
        $after.SignPin.State | Should -Be 'Ready' -Because 'the second token never saw the wrong PIN'
    }

    It 'one -CurrentPin that is right for the first token only: the error says the first WAS changed' {
        $fresh = New-Card
        Get-EkengCard | Initialize-EkengPin -Puk $Puk -AuthPin (Sec '11223344') -SignPin (Sec '55667788') | Out-Null
        $err = $null
        try { Get-EkengCard | Set-EkengPin -CurrentPin (Sec '11223344') -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PinIncorrect,Ekeng.PowerShell.Commands.SetEkengPinCommand'
        "$($err.Exception.Message) $($err.ErrorDetails.RecommendedAction)" | Should -Match "ARMID \(AuthPIN\).*WAS changed"
        (Test-Login $fresh 'ARMID (AuthPIN)' '24681357').Ok | Should -BeTrue
        (Test-Login $fresh 'ARMID (SignPIN)' '55667788').Ok | Should -BeTrue
    }

    It '-Puk with -AuthPuk is PukAmbiguous before anything is asked or sent' {
        $fresh = New-Card
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk $Puk -AuthPuk $Puk -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PukAmbiguous,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $after = Get-EkengCard
        $after.AuthPin.State | Should -Be 'NotInitialized'
        $after.AuthPin.PukState | Should -Be 'Ready'
    }

    It '<Command> -Pin with -AuthPin is PinAmbiguous naming both ways, before anything is asked or sent' -TestCases @(
        @{ Command = 'Initialize-EkengPin'; Extra = @{} }
        @{ Command = 'Unblock-EkengPin'; Extra = @{ PinKind = 'Auth'; Confirm = $false } }
    ) {
        param($Command, $Extra)
        $fresh = New-Card
        $err = $null
        try { Get-EkengCard | & $Command -Puk $Puk -Pin (Sec '24681357') -AuthPin (Sec '13572468') @Extra -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "PinAmbiguous,Ekeng.PowerShell.Commands.$($Command -replace '-', '')Command"
        $err.Exception.Message | Should -Not -Match 'Parameter set cannot be resolved'
        "$($err.Exception.Message) $($err.ErrorDetails.RecommendedAction)" | Should -Match '-Pin.*-AuthPin'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $after = Get-EkengCard
        $after.AuthPin.State | Should -Be 'NotInitialized'
        $after.AuthPin.PukState | Should -Be 'Ready'
    }

    It 'Set-EkengPin -CurrentPin with -CurrentSignPin is CurrentPinAmbiguous, nothing sent' {
        $fresh = New-Card
        Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '11223344') | Out-Null
        $err = $null
        try { Get-EkengCard | Set-EkengPin -CurrentPin (Sec '11223344') -CurrentSignPin (Sec '11223344') -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'CurrentPinAmbiguous,Ekeng.PowerShell.Commands.SetEkengPinCommand'
        (Test-Login $fresh 'ARMID (AuthPIN)' '11223344').Ok | Should -BeTrue
    }

    It 'one new PIN per token with -AuthPin only and -PinKind Auth still works (no parameter set to pick)' {
        $fresh = New-Card
        $card = Get-EkengCard | Initialize-EkengPin -Puk $Puk -PinKind Auth -AuthPin (Sec '31415926')
        $card.AuthPin.State | Should -Be 'Ready'
        $card.SignPin.State | Should -Be 'NotInitialized'
        (Test-Login $fresh 'ARMID (AuthPIN)' '31415926').Ok | Should -BeTrue
    }

    It 'a card pulled out right after its activation: CardRereadFailed says what WAS set, and the card is still output (PinChanged, StateIsStale)' {
        $fresh = New-Card
        $aside = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-pulled-$PID-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $aside
        # The verbose lines come before the card is read again: at the second token's, its token files go (the card is pulled).
        $out = @(Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '24681357') -Verbose -ErrorVariable failed -ErrorAction SilentlyContinue 4>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord]) {
                    if ($_.Message -eq "'ARMID (SignPIN)': the PIN is set.") { Get-ChildItem -LiteralPath $fresh.TokenDirectory | Move-Item -Destination $aside }
                }
                else { $_ }
            })
        @(Get-ChildItem -LiteralPath $aside).Count | Should -Be 2 -Because 'the card was pulled between the change and the re-read'
        Get-ChildItem -LiteralPath $aside | Move-Item -Destination $fresh.TokenDirectory
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'CardRereadFailed,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $failed[0].Exception.Message | Should -Match "'ARMID \(AuthPIN\)' and 'ARMID \(SignPIN\)' WAS set: use the new PIN"
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'Do not repeat the command with the old PIN'
        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType Ekeng.Cards.EkengCard
        @($out[0].PinChanged) | Should -Be @('ARMID (AuthPIN)', 'ARMID (SignPIN)')
        $out[0].StateIsStale | Should -BeTrue
        (Test-Login $fresh 'ARMID (AuthPIN)' '24681357').Ok | Should -BeTrue -Because 'the change itself happened'
    }

    It 'Initialize-EkengPin -AuthPuk/-SignPuk activates each token with its own PUK (two DIFFERENT PUKs)' {
        $fresh = New-SoftHsmCard -Puk $Puk -SignPuk (Sec '97531864')
        $card = Get-EkengCard | Initialize-EkengPin -AuthPuk $Puk -SignPuk (Sec '97531864') -Pin (Sec '13572468')
        $card.AuthPin.State | Should -Be 'Ready'
        $card.SignPin.State | Should -Be 'Ready'
        $card.AuthPin.PukState | Should -Be 'Ready' -Because 'no wrong PUK reached it'
        $card.SignPin.PukState | Should -Be 'Ready' -Because 'no wrong PUK reached it'
        (Test-Login $fresh 'ARMID (AuthPIN)' '13572468').Ok | Should -BeTrue
        (Test-Login $fresh 'ARMID (SignPIN)' '13572468').Ok | Should -BeTrue
    }

    It 'swapped per-token PUKs: PukIncorrect at the first token, nothing sent to the second' {
        $fresh = New-SoftHsmCard -Puk $Puk -SignPuk (Sec '97531864')
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -AuthPuk (Sec '97531864') -SignPuk $Puk -Pin (Sec '13572468') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PukIncorrect,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $after = Get-EkengCard
        $after.AuthPin.PukState | Should -Be 'CountLow'
        $after.SignPin.PukState | Should -Be 'Ready'
        $after.SignPin.State | Should -Be 'NotInitialized'
    }

    It 'one -Puk on a card whose tokens have different PUKs: the first token is activated, the second refuses, and the error says which WAS set' {
        $fresh = New-SoftHsmCard -Puk $Puk -SignPuk (Sec '97531864')
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk $Puk -Pin (Sec '13572468') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PukIncorrect,Ekeng.PowerShell.Commands.InitializeEkengPinCommand'
        $err.Exception.Message | Should -Match "ARMID \(AuthPIN\)' WAS set"
        (Test-Login $fresh 'ARMID (AuthPIN)' '13572468').Ok | Should -BeTrue
        (Get-EkengCard).SignPin.PukState | Should -Be 'CountLow'
    }

    It 'a PUK with a letter, or shorter than the token allows, fails before the card is touched: <Id>' -TestCases @(
        @{ Text = '8642097x'; Id = 'PukNotDigits' }
        @{ Text = '864'; Id = 'PukLengthOutOfRange' }
    ) {
        param($Text, $Id)
        $fresh = New-Card
        $err = $null
        try { Get-EkengCard | Initialize-EkengPin -Puk (Sec $Text) -Pin (Sec '24681357') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "$Id,Ekeng.PowerShell.Commands.InitializeEkengPinCommand"
        (Get-EkengCard).AuthPin.PukState | Should -Be 'Ready' -Because 'a wrong PUK that reached the token would set COUNT_LOW'
    }
}

Describe 'The AuthPIN is checked on every card login of one session (OpenSSL engine, pkcs11-spy, sandbox)' -Skip:([bool]$LoginSkip) {
    It 'wrong -> PinIncorrect, right -> ok, wrong -> PinIncorrect, right -> ok: one C_Login each, logged out after each; then Register, Get-EkengCard, Get-EkengCrmRegistration' {
        $r = Invoke-LoginScenario {
            param($spy)
            $log = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-spy-$PID.log"
            $card = New-SoftHsmCard -Puk (Sec '86420975') -PublicServiceNumber '3456789012'
            Set-NativeEnvironment 'PKCS11SPY' $card.ModulePath
            Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $log
            $c = Get-EkengCard -Pkcs11Module $spy | Where-Object { $_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk (Sec '86420975') -Pin (Sec '73915284') -Confirm:$false
            $auth = Get-EkengCertificate -Card $c -Kind Authentication
            $sb = Start-SandboxRig -ClientCa $card.CaPem
            $common = @{ CrmUri = $sb.Crm; TrustedCaFile = $sb.CaFile }
            function Count([string] $pattern) { [regex]::Matches((Get-Content -Raw -LiteralPath $log), $pattern).Count }
            try {
                foreach ($pin in '19283746', '73915284', '19283746', '73915284') {
                    $logins = Count '\bC_Login\b'
                    $outcome = try { 'OK:' + ($auth | Get-EkengCrmRegistration @common -Pin (Sec $pin) -ErrorAction Stop).Status } catch { 'ERR:' + $_.FullyQualifiedErrorId.Split(',')[0] }
                    $text = Get-Content -Raw -LiteralPath $log
                    # Not logged in at the end: the last C_Login failed, or a C_Logout follows it.
                    $last = $text.Substring($text.LastIndexOf('C_Login'))
                    $loggedOut = $last -match 'C_Logout' -or ($last -split '\n\d+: ')[0] -match 'CKR_PIN_INCORRECT'
                    "ATTEMPT=$outcome;LOGINS=$((Count '\bC_Login\b') - $logins);LOGGEDOUT=$loggedOut"
                }
                "SANDBOX_LOGINS=$(@((Invoke-SandboxGet -Sandbox $sb -Path 'sandbox/logins').Body | ConvertFrom-Json).Count)"
                # The trap of one process: register (two logins), read the card again, log in again.
                $p = $auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @common -Pin (Sec '73915284') -Confirm:$false
                $code = ((Invoke-SandboxGet -Sandbox $sb -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0].code
                $done = $p | Confirm-EkengCrmRegistration -SmsCode (Sec $code) -Pin (Sec '73915284') -Confirm:$false
                $again = Get-EkengCard -Pkcs11Module $spy | Where-Object { $_.Tokens.Count -gt 0 }
                $reg = Get-EkengCertificate -Card $again -Kind Authentication | Get-EkengCrmRegistration @common -Pin (Sec '73915284')
                "SEQUENCE=$($done.Status);$($reg.Status)"
                # A wrong PIN once more after all that: still refused, and the user sees one error record.
                $null = $auth | Get-EkengCrmRegistration @common -Pin (Sec '19283746') -ErrorAction SilentlyContinue -ErrorVariable ev
                "WRONG_AGAIN=$(@($ev).Count);$(@($ev | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) -join ';')"
            }
            finally { $sb | Stop-SandboxRig; Remove-Item -LiteralPath $log -ErrorAction Ignore }
        }
        $text = $r.Out
        $attempts = @([regex]::Matches($text, 'ATTEMPT=[^\r\n]*') | ForEach-Object Value)
        $attempts | Should -Be @(
            'ATTEMPT=ERR:PinIncorrect;LOGINS=1;LOGGEDOUT=True'
            'ATTEMPT=OK:NotRegistered;LOGINS=1;LOGGEDOUT=True'
            'ATTEMPT=ERR:PinIncorrect;LOGINS=1;LOGGEDOUT=True'
            'ATTEMPT=OK:NotRegistered;LOGINS=1;LOGGEDOUT=True'
        ) -Because $text
        $text | Should -Match 'SANDBOX_LOGINS=2\b' -Because 'only the right PINs reached the server'
        $text | Should -Match 'SEQUENCE=Active;Active'
        $text | Should -Match 'WRONG_AGAIN=1;PinIncorrect(\r?\n|$)'
        # libp11 and OpenSSL wrote nothing to the user's terminal.
        $r.Err | Should -Not -Match 'Login failed|Login to token failed|PKCS11_get_private_key returned NULL|private key was not found|returning NULL'
        $r.Err | Should -Not -Match '73915284|19283746'
    }
}

Describe 'Two cards inserted: the login goes to the card asked for (token serial in the key URI)' -Skip:([bool]$LoginSkip) {
    It 'the second card''s login and signature go to its own token; the first card''s PIN counter is untouched' {
        $r = Invoke-LoginScenario {
            param($spy)
            $a = New-SoftHsmCard -Puk (Sec '86420975') -Serial 'a1a1a1a1' -PublicServiceNumber '1111111111'
            $b = New-SoftHsmCard -Puk (Sec '86420975') -Serial 'b2b2b2b2' -PublicServiceNumber '2222222222' -TokenSuffixes 'c0000003', 'c0000004'
            $both = Join-SoftHsmCards -Cards $a, $b
            Set-NativeEnvironment 'PKCS11SPY' $a.ModulePath
            Set-NativeEnvironment 'PKCS11SPY_OUTPUT' (Join-Path $both.Root 'spy.log')
            $cards = @(Get-EkengCard -Pkcs11Module $spy | Where-Object { $_.Tokens.Count -gt 0 -and $_.Tokens[0].Kind -eq 'Auth' })
            $cardA = $cards | Where-Object { $_.Tokens[0].SerialNumber -eq $a.AuthSerial }
            $cardB = $cards | Where-Object { $_.Tokens[0].SerialNumber -eq $b.AuthSerial }
            $cardA = $cardA | Initialize-EkengPin -Puk (Sec '86420975') -Pin (Sec '11112222') -Confirm:$false
            $cardB = $cardB | Initialize-EkengPin -Puk (Sec '86420975') -Pin (Sec '33334444') -Confirm:$false
            $authB = Get-EkengCertificate -Card $cardB -Kind Authentication
            # Only B logs in (two test CAs share one name, which a chain build cannot tell apart).
            $sb = Start-SandboxRig -ClientCa $b.CaPem
            $common = @{ CrmUri = $sb.Crm; TrustedCaFile = $sb.CaFile }
            try {
                "RIGHT=$(($authB | Get-EkengCrmRegistration @common -Pin (Sec '33334444')).PublicServiceNumber)"
                $logins = @((Invoke-SandboxGet -Sandbox $sb -Path 'sandbox/logins').Body | ConvertFrom-Json)
                "THUMB_OK=$($logins[-1].thumbprint -eq $authB.Thumbprint)"
                $outcome = try { $null = $authB | Get-EkengCrmRegistration @common -Pin (Sec '99990000') -ErrorAction Stop; 'OK' } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
                "WRONG=$outcome"
                $now = @(Get-EkengCard -Pkcs11Module $spy | Where-Object { $_.Tokens.Count -gt 0 -and $_.Tokens[0].Kind -eq 'Auth' })
                "STATE_A=$(($now | Where-Object { $_.Tokens[0].SerialNumber -eq $a.AuthSerial }).AuthPin.State)"
                "STATE_B=$(($now | Where-Object { $_.Tokens[0].SerialNumber -eq $b.AuthSerial }).AuthPin.State)"
                # A label alone, with two cards inserted, names no token: refused before any PIN is sent.
                $logins = [regex]::Matches((Get-Content -Raw (Join-Path $both.Root 'spy.log')), '\bC_Login\b').Count
                $ambiguous = try { [Ekeng.Pkcs11.TokenLogin]::Open($spy, 'ARMID (AuthPIN)', $null, (Sec '33334444'), [Microsoft.Extensions.Logging.Abstractions.NullLogger]::Instance).Dispose(); 'OK' } catch { $_.Exception.InnerException.ErrorId }
                "AMBIGUOUS=$ambiguous,$([regex]::Matches((Get-Content -Raw (Join-Path $both.Root 'spy.log')), '\bC_Login\b').Count - $logins)"
            }
            finally { $sb | Stop-SandboxRig }
        }
        $r.Out | Should -Match 'RIGHT=2222222222\b' -Because $r.Err
        $r.Out | Should -Match 'THUMB_OK=True'
        $r.Out | Should -Match 'WRONG=PinIncorrect'
        $r.Out | Should -Match 'STATE_A=Ready\b' -Because 'the other card never saw a PIN'
        $r.Out | Should -Match 'STATE_B=CountLow\b' -Because 'the wrong PIN went to the card asked for'
        $r.Out | Should -Match 'AMBIGUOUS=TokenAmbiguous,0\b'
    }
}

Describe '-WhatIf on the PIN commands: no secret sent, no C_Login (pkcs11-spy)' -Skip:([bool]$Skip) {
    It 'Initialize-, Set- and Unblock-EkengPin -WhatIf call nothing that carries a secret' {
        $r = Invoke-LoginScenario {
            param($spy)
            $log = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-spy-whatif-$PID.log"
            $card = New-SoftHsmCard -Puk (Sec '86420975')
            Set-NativeEnvironment 'PKCS11SPY' $card.ModulePath
            Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $log
            function Secret-Calls { if (Test-Path $log) { [regex]::Matches((Get-Content -Raw -LiteralPath $log), '\b(C_Login|C_InitPIN|C_SetPIN)\b').Count } else { 0 } }
            try {
                $c = Get-EkengCard -Pkcs11Module $spy | Where-Object { $_.Tokens.Count -gt 0 }
                $before = Secret-Calls
                $c | Initialize-EkengPin -Puk (Sec '86420975') -Pin (Sec '24681357') -WhatIf
                "INIT=$((Secret-Calls) - $before)"
                $c = $c | Initialize-EkengPin -Puk (Sec '86420975') -Pin (Sec '24681357') -Confirm:$false
                "ACTIVATED=$((Secret-Calls) - $before)"
                $before = Secret-Calls
                $c | Set-EkengPin -CurrentPin (Sec '24681357') -Pin (Sec '13572468') -WhatIf
                $c | Unblock-EkengPin -PinKind Auth -Puk (Sec '86420975') -Pin (Sec '13572468') -WhatIf
                "CHANGE_UNBLOCK=$((Secret-Calls) - $before)"
            }
            finally { Remove-Item -LiteralPath $log -ErrorAction Ignore }
        }
        $r.Out | Should -Match 'INIT=0\b'
        $r.Out | Should -Match 'ACTIVATED=[1-9]' -Because 'the spy does see the real activation (the witness works)'
        $r.Out | Should -Match 'CHANGE_UNBLOCK=0\b'
        $r.Out | Should -Match 'What if: .*Change the PIN'
    }
}
