# Test-EkengSetup against REAL parts: a private pcscd with a vpcd reader (tests/rigs/PcscRig.psm1), a SoftHSM2 card
# (tests/rigs/SoftHsmRig.psm1), firefox-esr's install for the Firefox policy search, NSS's certutil/modutil for the
# Chromium database. HOME is a temp folder: no module is registered anywhere when the tests start.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:SandboxSkip = Get-RigSkipReason -Rig Sandbox
    $script:LoginSkip = Get-RigSkipReason -Rig CardLogin
    if (-not $LoginSkip -and -not (@('/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so') | Where-Object { Test-Path $_ })) {
        $script:LoginSkip = Resolve-SkipReason @('OpenSC''s pkcs11-spy.so is missing (opensc-pkcs11)')
    }
    $script:Skip = Get-RigSkipReason -NeedsRoot -Command pcscd, perl, certutil, modutil, softhsm2-util -Rig Pcsc, SoftHsm
}

BeforeAll {
    Import-TestRig Pcsc, SoftHsm, Sandbox
    function script:Check([object[]] $checks, [string] $name) { @($checks | Where-Object Name -eq $name)[0] }
    $script:Order = 'Middleware', 'SmartCardService', 'Reader', 'Card', 'AuthPIN', 'SignPIN', 'PUK', 'AuthCertificate', 'SignCertificate',
    'CertificateChain', 'Revocation', 'CertificateStore', 'Firefox', 'Chromium', 'CertificateAutoSelect', 'EkengService', 'EkengRegistration', 'EkengFee'
    $script:SavedEnv = @{ HOME = $env:HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; EKENG_PKCS11_MODULE = $env:EKENG_PKCS11_MODULE }
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) "ekeng-setup-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    if (-not $Skip) {
        # The rig starts before the module touches PC/SC: libpcsclite reads the socket path once per process.
        $script:Rig = Start-PcscRig
        $script:PukText = '73196428'
        $script:Puk = Sec $PukText
        $script:Card = New-SoftHsmCard -Puk $Puk
        $env:EKENG_PKCS11_MODULE = $Card.ModulePath
        $env:HOME = Join-Path $Root 'home'
        $env:XDG_CONFIG_HOME = $null
        New-Item -ItemType Directory -Force $env:HOME | Out-Null
    }
    Import-Module $env:EKENG_MODULE_PATH -Force
}

AfterAll {
    if (Get-Command Stop-PcscRig -ErrorAction Ignore) { Stop-PcscRig }
    if (Get-Command Remove-SoftHsmCard -ErrorAction Ignore) { Remove-SoftHsmCard }
    foreach ($k in $SavedEnv.Keys) { Set-Item "env:$k" -Value $SavedEnv[$k] -ErrorAction Ignore; if ($null -eq $SavedEnv[$k]) { Remove-Item "env:$k" -ErrorAction Ignore } }
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction Ignore
}

Describe 'Test-EkengSetup on a fresh machine state, then after the browser commands' -Skip:([bool]$Skip) {
    It 'writes one check per item in the manual''s order, each with a status, and fails the browser checks with remedies' {
        $checks = @(Test-EkengSetup -TrustedRootFile $Card.CaCertificate -ErrorVariable errors)
        $errors | Should -BeNullOrEmpty
        @($checks.Name) | Should -Be $Order
        $checks | ForEach-Object { $_ | Should -BeOfType Ekeng.Portal.PortalCheck }
        (Check $checks 'Middleware').Status | Should -Be 'Pass'
        (Check $checks 'Middleware').Detail | Should -Match ([regex]::Escape($Card.ModulePath))
        (Check $checks 'SmartCardService').Status | Should -Be 'Pass'
        (Check $checks 'Reader').Status | Should -Be 'Pass'
        (Check $checks 'Reader').Detail | Should -Match ([regex]::Escape($Rig.ReaderNames[0]))
        (Check $checks 'Card').Status | Should -Be 'Pass'
        (Check $checks 'Card').Detail | Should -Match 'ARMID'
        # The rig's card is not activated yet: the PINs fail with the command that activates them.
        (Check $checks 'AuthPIN').Status | Should -Be 'Fail'
        (Check $checks 'AuthPIN').Remedy | Should -Match 'Initialize-EkengPin'
        (Check $checks 'PUK').Status | Should -Be 'Pass'
        (Check $checks 'AuthCertificate').Status | Should -Be 'Pass'
        (Check $checks 'AuthCertificate').Detail | Should -Match "ARMEN SARGSYAN $($Card.PublicServiceNumber)"
        (Check $checks 'CertificateChain').Status | Should -Be 'Pass'
        (Check $checks 'Revocation').Status | Should -Be 'NotApplicable'
        (Check $checks 'EkengService').Status | Should -Be 'NotApplicable'
        foreach ($records in 'EkengRegistration', 'EkengFee') {
            (Check $checks $records).Status | Should -Be 'NotApplicable'
            (Check $checks $records).Detail | Should -Match 'no service .* is named .*publishes no API'
            (Check $checks $records).Remedy | Should -Match 'https://crm\.ekeng\.am'
        }
        $firefox = Check $checks 'Firefox'
        $firefox.Status | Should -Be 'Fail'
        $firefox.Remedy | Should -Match 'Set-FirefoxCryptoModule'
        $chromium = Check $checks 'Chromium'
        $chromium.Status | Should -Be 'Fail'
        $chromium.Remedy | Should -Match 'Set-FirefoxCryptoModule -Application Chromium'
        (Check $checks 'CertificateAutoSelect').Status | Should -Be 'Warning'
        (Check $checks 'CertificateAutoSelect').Remedy | Should -Match "Set-ChromiumCertificatePolicy -IssuerCommonName 'Ekeng Test Citizen CA'"
        # README's way to the issuer CN the policy needs.
        (Get-EkengCertificate Auth).Certificate.GetNameInfo('SimpleName', $true) | Should -Be 'Ekeng Test Citizen CA'
        Test-EkengSetup -Quiet -TrustedRootFile $Card.CaCertificate | Should -BeFalse
    }

    It 'passes the browser checks after Set-FirefoxCryptoModule and the Chromium command, and -Quiet is then $true' {
        # A Firefox profile of this (temp) user, as profiles.ini lists it; the PINs activated as the manual does.
        $profile = Join-Path $env:HOME '.mozilla/firefox/p.default'
        New-Item -ItemType Directory -Force $profile | Out-Null
        Set-Content -LiteralPath (Join-Path $env:HOME '.mozilla/firefox/profiles.ini') -Value "[Profile0]`nName=default`nIsRelative=1`nPath=p.default`nDefault=1`n"
        Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk $Puk -Pin (Sec '24681357') | Out-Null
        @(Set-FirefoxCryptoModule).Status | Should -Be 'Added'
        $nssdb = Join-Path $env:HOME '.pki/nssdb'
        Test-Path -LiteralPath $nssdb | Should -BeFalse
        $set = @(Set-FirefoxCryptoModule -Application Chromium)
        $set.Status | Should -Be 'Added'
        $set.ProfilePath | Should -Be $nssdb

        $checks = @(Test-EkengSetup -TrustedRootFile $Card.CaCertificate)
        (Check $checks 'Firefox').Status | Should -Be 'Pass'
        (Check $checks 'Chromium').Status | Should -Be 'Pass'
        (Check $checks 'AuthPIN').Status | Should -Be 'Pass'
        (Check $checks 'SignPIN').Status | Should -Be 'Pass'
        @($checks | Where-Object Status -eq 'Fail') | Should -BeNullOrEmpty
        Test-EkengSetup -Quiet -TrustedRootFile $Card.CaCertificate | Should -BeTrue
        # Without the test CA the system's roots do not vouch for the card: the chain fails, and so does -Quiet.
        (Check @(Test-EkengSetup) 'CertificateChain').Status | Should -Be 'Fail'
        Test-EkengSetup -Quiet | Should -BeFalse
    }

    It 'writes its checks as JSON for a fleet report, as README shows it' {
        # The README's report: one compact line, the problems in full, every check's status by name.
        $checks = @(Test-EkengSetup -TrustedRootFile $Card.CaCertificate)
        $json = [ordered]@{
            Computer = [Environment]::MachineName
            User     = [Environment]::UserName
            Time     = [DateTime]::UtcNow.ToString('o')
            Ready    = -not ($checks | Where-Object Status -eq 'Fail')
            Status   = ($checks | ForEach-Object { "$($_.Name)=$($_.Status)" }) -join ';'
            Problems = @($checks | Where-Object Status -in 'Fail', 'Warning' | Select-Object Name, @{ n = 'Status'; e = { "$($_.Status)" } }, Detail, Remedy)
        } | ConvertTo-Json -Depth 3 -Compress
        $json.Length | Should -BeLessThan 2048 -Because 'Intune keeps 2,048 characters of a remediation script''s output'
        $back = $json | ConvertFrom-Json
        $back.Ready | Should -BeTrue
        @($back.Status -split ';' | ForEach-Object { ($_ -split '=')[0] }) | Should -Be $Order
        $back.Status | Should -Match '(^|;)Firefox=Pass(;|$)'
        @($back.Problems.Name) | Should -Be @('CertificateAutoSelect')
        $back.Problems[0].Remedy | Should -Match 'Set-ChromiumCertificatePolicy'
    }
}

Describe 'Test-EkengSetup with a card that ends soon' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Soon = New-SoftHsmCard -Puk $Puk -ValidDays 10 -Serial 'ec0a1d10'
    }
    AfterAll { Use-SoftHsmCard -Card $Card }

    It 'says Warning with the days left, and Pass with a smaller -WarningDays' {
        $checks = @(Test-EkengSetup -TrustedRootFile $Soon.CaCertificate)
        foreach ($name in 'AuthCertificate', 'SignCertificate') {
            (Check $checks $name).Status | Should -Be 'Warning'
            (Check $checks $name).Detail | Should -Match '\b(9|10) days left'
        }
        (Check @(Test-EkengSetup -TrustedRootFile $Soon.CaCertificate -WarningDays 5) 'AuthCertificate').Status | Should -Be 'Pass'
    }

    It 'Get-EkengCertificate and Get-EkengCard warn that the certificates end soon' {
        $null = Get-EkengCertificate -WarningVariable certWarnings -WarningAction SilentlyContinue
        @($certWarnings | Where-Object { "$_" -match 'ends on .* in (9|10) day\(s\)' }).Count | Should -Be 2
        $null = Get-EkengCard -WarningVariable cardWarnings -WarningAction SilentlyContinue
        @($cardWarnings | Where-Object { "$_" -match 'authentication certificate of ARMEN SARGSYAN ends on' }).Count | Should -Be 1
    }

    It 'Get-EkengCertificate does not warn for a card with years left' {
        Use-SoftHsmCard -Card $Card
        $null = Get-EkengCertificate -WarningVariable quiet -WarningAction SilentlyContinue
        @($quiet | Where-Object { "$_" -match 'ends on' }) | Should -BeNullOrEmpty
        Use-SoftHsmCard -Card $Soon
    }
}

Describe 'Test-EkengSetup and a service named to speak the contract (the sandbox)' -Skip:([bool]($Skip -or $SandboxSkip)) {
    BeforeAll { $script:Sandbox = Start-SandboxRig -ClientCa $Card.CaPem }
    AfterAll { if ($Sandbox) { $Sandbox | Stop-SandboxRig } }

    It 'passes EkengService when the service speaks the contract, asked without the card' {
        $service = Check @(Test-EkengSetup -CrmUri $Sandbox.Crm -TrustedCaFile $Sandbox.CaFile) 'EkengService'
        $service.Status | Should -Be 'Pass'
        $service.Detail | Should -Match 'speaks ekeng-powershell-crm 1\.'
        $saved = $env:EKENG_CRM_URI, $env:EKENG_CA_FILE
        try {
            $env:EKENG_CRM_URI = $Sandbox.Crm; $env:EKENG_CA_FILE = $Sandbox.CaFile
            (Check @(Test-EkengSetup) 'EkengService').Status | Should -Be 'Pass'
        }
        finally { $env:EKENG_CRM_URI, $env:EKENG_CA_FILE = $saved }
    }

    It 'fails EkengService for a service that does not speak it (the payment gateway), with the reason' {
        $service = Check @(Test-EkengSetup -CrmUri $Sandbox.Gateway -TrustedCaFile $Sandbox.CaFile) 'EkengService'
        $service.Status | Should -Be 'Fail'
        $service.Detail | Should -Match 'does not speak the API this module models'
    }
}

Describe 'Test-EkengSetup -Pin: the registration and the paid period, read with one card login from a service that speaks the contract' -Skip:([bool]($Skip -or $LoginSkip)) {
    BeforeAll {
        # A card of its own, read through OpenSC's spy (its log counts the C_Login calls of this process, the TLS
        # engine's included); the module, Firefox and Chromium all name the spy, so that a clean run has no Fail.
        $script:PinText = '73915284'
        $script:Pin = Sec $PinText
        $script:PinCard = New-SoftHsmCard -Puk $Puk -Serial 'ec0a1d20'
        $script:Spy = @('/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
        $script:SpyLog = Join-Path $PinCard.Root 'pkcs11-spy.log'
        Set-NativeEnvironment 'PKCS11SPY' $PinCard.ModulePath
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $SpyLog
        $env:EKENG_PKCS11_MODULE = $Spy
        $script:SavedHome = $env:HOME
        $env:HOME = Join-Path $Root 'home-pin'
        New-Item -ItemType Directory -Force (Join-Path $env:HOME '.mozilla/firefox/p.default') | Out-Null
        Set-Content -LiteralPath (Join-Path $env:HOME '.mozilla/firefox/profiles.ini') -Value "[Profile0]`nName=default`nIsRelative=1`nPath=p.default`nDefault=1`n"
        Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk $Puk -Pin $Pin -Confirm:$false | Out-Null
        $null = Set-FirefoxCryptoModule
        $null = Set-FirefoxCryptoModule -Application Chromium
        $script:Auth = Get-EkengCertificate -Kind Authentication
        $script:PinSandbox = Start-SandboxRig -ClientCa $PinCard.CaPem -ExtraArguments '--test-controls'
        $script:Service = @{ CrmUri = $PinSandbox.Crm; TrustedCaFile = $PinSandbox.CaFile; TrustedRootFile = $PinCard.CaCertificate }
        $script:SavedCrm = $env:EKENG_CRM_URI, $env:EKENG_CA_FILE
        $env:EKENG_CRM_URI = $null; $env:EKENG_CA_FILE = $null
        function script:Get-LoginCount { if (Test-Path -LiteralPath $SpyLog) { [regex]::Matches((Get-Content -Raw -LiteralPath $SpyLog), '\bC_Login\b').Count } else { 0 } }
        function script:Get-ServerLogins { @((Invoke-SandboxGet -Sandbox $PinSandbox -Path 'sandbox/logins').Body | ConvertFrom-Json).Count }
        # The holder registered as the manual does it, in two calls (the code from the sandbox's SMS outbox).
        function script:Register-TestHolder {
            $common = @{ CrmUri = $PinSandbox.Crm; TrustedCaFile = $PinSandbox.CaFile; Pin = $Pin }
            $pending = $Auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @common -Confirm:$false
            $code = @((Invoke-SandboxGet -Sandbox $PinSandbox -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0].code
            $pending | Confirm-EkengCrmRegistration -SmsCode (Sec $code) -Pin $Pin -Confirm:$false
        }
        # The holder's paid period set in the sandbox (a test control), in days from today (real time); $null: never paid.
        function script:Set-PaidUntil($Days) {
            $date = if ($null -eq $Days) { '' } else { [datetime]::UtcNow.Date.AddDays($Days).ToString('yyyy-MM-dd') }
            $r = Invoke-SandboxGet -Post -Sandbox $PinSandbox -Path "sandbox/test/paid-until?publicServiceNumber=$($PinCard.PublicServiceNumber)&paidUntil=$date"
            $r.Status | Should -Be 204
            $date
        }
    }
    AfterAll {
        if (Get-Variable PinSandbox -Scope Script -ErrorAction Ignore) { $PinSandbox | Stop-SandboxRig }
        Set-NativeEnvironment 'PKCS11SPY' $null
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $null
        $env:EKENG_PKCS11_MODULE = $Card.ModulePath
        $env:HOME = $SavedHome
        $env:EKENG_CRM_URI, $env:EKENG_CA_FILE = $SavedCrm
        Use-SoftHsmCard -Card $Card
    }

    It 'says NotApplicable with the reason, and logs in nowhere, without -Pin, without a service, or with a service that does not speak the contract' {
        $logins = Get-LoginCount
        $checks = @(Test-EkengSetup @Service)
        @($checks.Name) | Should -Be $Order
        (Check $checks 'EkengService').Status | Should -Be 'Pass'
        foreach ($name in 'EkengRegistration', 'EkengFee') {
            (Check $checks $name).Status | Should -Be 'NotApplicable'
            (Check $checks $name).Detail | Should -Match '^needs -Pin'
        }
        # No service named: the real EKENG publishes no API; the remedy is the portal.
        $none = Check @(Test-EkengSetup -Pin $Pin -TrustedRootFile $PinCard.CaCertificate) 'EkengRegistration'
        $none.Status | Should -Be 'NotApplicable'
        $none.Detail | Should -Match 'no service .* is named .*publishes no API'
        $none.Remedy | Should -Match 'https://crm\.ekeng\.am'
        # Another HTTPS server (the payment gateway): EkengService fails, and the PIN never reaches the card.
        $other = @(Test-EkengSetup -Pin $Pin -CrmUri $PinSandbox.Gateway -TrustedCaFile $PinSandbox.CaFile -TrustedRootFile $PinCard.CaCertificate)
        (Check $other 'EkengService').Status | Should -Be 'Fail'
        foreach ($name in 'EkengRegistration', 'EkengFee') {
            (Check $other $name).Status | Should -Be 'NotApplicable'
            (Check $other $name).Detail | Should -Match 'did not pass the contract check'
        }
        Get-LoginCount | Should -Be $logins -Because 'no check logs in without -Pin and a service that speaks the contract'
        Get-ServerLogins | Should -Be 0
    }

    It 'ends with a parameter error before the card sees a malformed -Pin (<Text>: <Id>), no C_Login' -TestCases @(
        @{ Text = '12a4'; Id = 'PinNotDigits' }
        @{ Text = '123'; Id = 'PinLengthOutOfRange' }
    ) {
        param($Text, $Id)
        $logins = Get-LoginCount
        { Test-EkengSetup -Pin (Sec $Text) @Service } | Should -Throw -ErrorId "$Id,Ekeng.PowerShell.Commands.TestEkengSetupCommand"
        { Test-EkengSetup -Pin (Sec $Text) @Service -Quiet } | Should -Throw -ErrorId "$Id,Ekeng.PowerShell.Commands.TestEkengSetupCommand"
        Get-LoginCount | Should -Be $logins
    }

    It 'a wrong -Pin: both checks Fail with PinIncorrect after exactly one C_Login (never retried); every other check is still written' {
        $logins = Get-LoginCount
        $checks = @(Test-EkengSetup -Pin (Sec '19283746') @Service -ErrorVariable errors)
        $errors | Should -BeNullOrEmpty
        @($checks.Name) | Should -Be $Order
        foreach ($name in 'EkengRegistration', 'EkengFee') {
            (Check $checks $name).Status | Should -Be 'Fail'
            (Check $checks $name).Detail | Should -Match '^PinIncorrect'
            (Check $checks $name).Remedy | Should -Match 'Get-EkengCard'
        }
        (Get-LoginCount) - $logins | Should -Be 1
        Get-ServerLogins | Should -Be 0 -Because 'a PIN the card refused logs in nowhere'
        Test-EkengSetup -Pin (Sec '19283746') @Service -Quiet | Should -BeFalse
    }

    It 'a holder not registered: EkengRegistration Fails with the command that registers, EkengFee is NotApplicable (one C_Login)' {
        $logins = Get-LoginCount
        $checks = @(Test-EkengSetup -Pin $Pin @Service)
        (Get-LoginCount) - $logins | Should -Be 1
        $registration = Check $checks 'EkengRegistration'
        $registration.Status | Should -Be 'Fail'
        $registration.Detail | Should -Match 'not registered'
        $registration.Remedy | Should -Match 'Register-EkengCrm -PhoneNumber'
        (Check $checks 'EkengFee').Status | Should -Be 'NotApplicable'
    }

    It 'registered and paid: both Pass, and -Quiet is $true; registered and never paid: EkengFee Fails' {
        (Register-TestHolder).Status | Should -Be 'Active'
        $never = @(Test-EkengSetup -Pin $Pin @Service)
        (Check $never 'EkengRegistration').Status | Should -Be 'Pass'
        (Check $never 'EkengFee').Status | Should -Be 'Fail'
        (Check $never 'EkengFee').Detail | Should -Match 'not paid'
        (Check $never 'EkengFee').Remedy | Should -Be 'Invoke-EkengFeePayment'

        $until = Set-PaidUntil 200
        $checks = @(Test-EkengSetup -Pin $Pin @Service)
        (Check $checks 'EkengRegistration').Status | Should -Be 'Pass'
        (Check $checks 'EkengRegistration').Detail | Should -Match 'Active'
        (Check $checks 'EkengFee').Status | Should -Be 'Pass'
        (Check $checks 'EkengFee').Detail | Should -Match "paid until $until \((199|200) days left\)"
        @($checks | Where-Object Status -eq 'Fail' | ForEach-Object { "$($_.Name): $($_.Detail)" }) | Should -BeNullOrEmpty
        Test-EkengSetup -Pin $Pin @Service -Quiet | Should -BeTrue
    }

    It 'a paid period that ends in 10 days: EkengFee Warning with the date and the days left, -Quiet still $true; -WarningDays 5 passes it' {
        $until = Set-PaidUntil 10
        $fee = Check @(Test-EkengSetup -Pin $Pin @Service) 'EkengFee'
        $fee.Status | Should -Be 'Warning'
        $fee.Detail | Should -Match "ends on $until, in (9|10) day\(s\)"
        $fee.Remedy | Should -Be 'Invoke-EkengFeePayment -NextPeriod'
        Test-EkengSetup -Pin $Pin @Service -Quiet | Should -BeTrue -Because 'a Warning is not a failure'
        (Check @(Test-EkengSetup -Pin $Pin @Service -WarningDays 5) 'EkengFee').Status | Should -Be 'Pass'
    }

    It 'a lapsed paid period: EkengFee Fails with the date, and -Quiet is $false' {
        $until = Set-PaidUntil -3
        $fee = Check @(Test-EkengSetup -Pin $Pin @Service) 'EkengFee'
        $fee.Status | Should -Be 'Fail'
        $fee.Detail | Should -Match "ended on $until"
        $fee.Remedy | Should -Be 'Invoke-EkengFeePayment'
        Test-EkengSetup -Pin $Pin @Service -Quiet | Should -BeFalse
    }

    It 'the PIN is in no stream, transcript or log of a run with -Verbose and -Debug' {
        $transcript = Join-Path $PinCard.Root 'transcript.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { $out = Test-EkengSetup -Pin $Pin @Service -Verbose -Debug *>&1 | Out-String }
        finally { Stop-Transcript | Out-Null }
        $out | Should -Match 'EkengRegistration'
        $out | Should -Not -Match $PinText
        Get-Content -Raw -LiteralPath $transcript | Should -Not -Match $PinText
        Get-Content -Raw -LiteralPath $PinSandbox.Log | Should -Not -Match $PinText
    }
}

Describe 'Test-EkengSetup with the smart-card service stopped' -Skip:([bool]$Skip) {
    It 'fails the service check with its remedy, no exception, and -Quiet is $false' {
        Stop-PcscRig
        $checks = @(Test-EkengSetup -TrustedRootFile $Card.CaCertificate -ErrorVariable errors)
        $errors | Should -BeNullOrEmpty
        $service = Check $checks 'SmartCardService'
        $service.Status | Should -Be 'Fail'
        $service.Detail | Should -Match 'SCARD_E_NO_SERVICE'
        $service.Remedy | Should -Match 'pcscd'
        (Check $checks 'Reader').Status | Should -Be 'NotApplicable'
        Test-EkengSetup -Quiet -TrustedRootFile $Card.CaCertificate | Should -BeFalse
    }
}

Describe 'Test-EkengSetup when only OpenSC is installed' -Skip:([bool](Get-RigSkipReason -Command pkcs11-tool)) {
    It 'warns that OpenSC has no driver for ARMID cards and names the middleware to install' {
        $out = Invoke-ChildPwsh -Command "`$env:EKENG_PKCS11_MODULE = `$null; Import-Module '$env:EKENG_MODULE_PATH'; `$m = @(Test-EkengSetup -WarningAction SilentlyContinue | Where-Object Name -eq 'Middleware')[0]; `"STATUS=`$(`$m.Status)`"; `"REMEDY=`$(`$m.Remedy)`""
        $out | Should -Contain 'STATUS=Warning'
        ($out -join "`n") | Should -Match 'REMEDY=Install CryptoCard Suite'
    }
}

Describe 'Test-EkengSetup parameters' {
    It 'fails EkengService for a named address that is not https, without any request' {
        (Check @(Test-EkengSetup -CrmUri 'http://127.0.0.1:9/' -WarningAction SilentlyContinue) 'EkengService').Detail | Should -Match 'must be an absolute https URI'
        $saved = $env:EKENG_CRM_URI
        try {
            $env:EKENG_CRM_URI = 'not a uri'
            $service = Check @(Test-EkengSetup -WarningAction SilentlyContinue) 'EkengService'
            $service.Status | Should -Be 'Fail'
            $service.Detail | Should -Match 'EKENG_CRM_URI is not an absolute URI'
        }
        finally { $env:EKENG_CRM_URI = $saved }
    }

    It 'refuses a root file that is not a certificate with TrustedRootUnreadable' {
        $bad = Join-Path ([IO.Path]::GetTempPath()) "ekeng-notacert-$PID.cer"
        Set-Content -LiteralPath $bad -Value 'not a certificate'
        try {
            { Test-EkengSetup -TrustedRootFile $bad -ErrorAction Stop } | Should -Throw -ErrorId 'TrustedRootUnreadable,Ekeng.PowerShell.Commands.TestEkengSetupCommand'
        }
        finally { Remove-Item -LiteralPath $bad -ErrorAction Ignore }
    }
}
