# Chromium, Chrome and Edge against REAL parts: NSS's modutil reads the database the module writes into a temp HOME's
# ~/.pki/nssdb, and Debian's chromium (through Selenium, tests/rigs/CardHolderRig.psm1) shows on chrome://policy the
# AutoSelectCertificateForUrls policy the module wrote. Chromium reads its managed policy only from
# /etc/chromium/policies/managed (no test-only path in a release build): the test writes there and AfterAll removes
# what it made (the folders too when the test created them).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:NssSkip = Get-RigSkipReason -NeedsRoot -Command certutil, modutil
    $script:BrowserSkip = Get-RigSkipReason -NeedsRoot -Command chromium -Rig CardHolder
}

BeforeAll {
    Import-TestRig CardHolder -BuiltModule
    $script:SoftHsm = @('/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so') | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
    $script:SavedHome = $env:HOME
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) "ekeng-chromium-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Force $Root | Out-Null
    $env:HOME = Join-Path $Root 'home'
    New-Item -ItemType Directory -Force $env:HOME | Out-Null
    $script:Managed = '/etc/chromium/policies/managed'
    # What existed before the test, so that AfterAll removes only what the test made.
    $script:Existed = @{ Policies = Test-Path -LiteralPath '/etc/chromium/policies'; Managed = Test-Path -LiteralPath $Managed }
}

AfterAll {
    $env:HOME = $SavedHome
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction Ignore
    Remove-Item -LiteralPath (Join-Path $Managed 'ekeng-powershell.json'), (Join-Path $Managed 'ekeng-powershell.json.bak') -Force -ErrorAction Ignore
    if (-not $Existed.Managed) { Remove-Item -LiteralPath $Managed -Force -ErrorAction Ignore }
    if (-not $Existed.Policies) { Remove-Item -LiteralPath '/etc/chromium/policies' -Recurse -Force -ErrorAction Ignore }
}

Describe 'The shared NSS database ~/.pki/nssdb (-Application Chromium)' -Skip:([bool]$NssSkip) {
    It 'creates the database as certutil -N would, registers the module, and modutil lists it' {
        $db = Join-Path $env:HOME '.pki/nssdb'
        $r = @(Set-FirefoxCryptoModule -Application Chromium -Path $SoftHsm -Name 'ARMID test')
        $r.Status | Should -Be 'Added'
        $r.Application | Should -Be 'Chromium'
        foreach ($f in 'cert9.db', 'key4.db', 'pkcs11.txt') { Test-Path -LiteralPath (Join-Path $db $f) | Should -BeTrue }
        (& stat -c '%a' $db) | Should -Be '700'
        $list = (& modutil -list -dbdir "sql:$db" 2>&1) -join "`n"
        $LASTEXITCODE | Should -Be 0
        $list | Should -Match 'ARMID test'
        $list | Should -Match ([regex]::Escape("library name: $SoftHsm"))
        # NSS's own listing of the keys database works too (the database is a real one, not just a pkcs11.txt).
        & certutil -L -d "sql:$db" *> $null
        $LASTEXITCODE | Should -Be 0
    }

    It 'is idempotent, tested by Test-, listed by Get-, and removed by Remove-' {
        @(Set-FirefoxCryptoModule -Application Chromium -Path $SoftHsm -Name 'ARMID test').Status | Should -Be 'AlreadyPresent'
        Test-FirefoxCryptoModule -Application Chromium -Path $SoftHsm -Name 'ARMID test' | Should -BeTrue
        @(Get-FirefoxCryptoModule -Application Chromium).Name | Should -Be 'ARMID test'
        @(Remove-FirefoxCryptoModule -Application Chromium -Name 'ARMID test' -Confirm:$false).Status | Should -Be 'Removed'
        Test-FirefoxCryptoModule -Application Chromium -Path $SoftHsm -Name 'ARMID test' | Should -BeFalse
        ((& modutil -list -dbdir "sql:$(Join-Path $env:HOME '.pki/nssdb')" 2>&1) -join "`n") | Should -Not -Match 'ARMID test'
    }

    It 'refuses -Scope Policy with ChromiumPolicyScope' {
        { Set-FirefoxCryptoModule -Application Chromium -Scope Policy -Path $SoftHsm -ErrorAction Stop } |
            Should -Throw -ErrorId 'ChromiumPolicyScope,Ekeng.PowerShell.Commands.SetFirefoxCryptoModuleCommand'
    }

    It 'run as root for a user, creates the database and its files as that user''s' {
        $userHome = Join-Path $Root 'anna'
        New-Item -ItemType Directory -Force $userHome | Out-Null
        & chown 4243:4243 $userHome
        $db = Join-Path $userHome '.pki/nssdb'
        @(Set-FirefoxCryptoModule -Application Chromium -ProfilePath $db -Path $SoftHsm).Status | Should -Be 'Added'
        foreach ($p in (Join-Path $userHome '.pki'), $db, (Join-Path $db 'cert9.db'), (Join-Path $db 'key4.db'), (Join-Path $db 'pkcs11.txt')) {
            (& stat -c '%u:%g' $p) | Should -Be '4243:4243' -Because "$p is the user's"
        }
        (& stat -c '%a' (Join-Path $db 'key4.db')) | Should -Be '600'
        ((& modutil -list -dbdir "sql:$db" 2>&1) -join "`n") | Should -Match ([regex]::Escape($SoftHsm))
    }

    It 'never follows a link from the user''s home into root''s folder' {
        $victim = Join-Path $Root 'root-owned'
        New-Item -ItemType Directory -Force $victim | Out-Null
        $userHome = Join-Path $Root 'user'
        New-Item -ItemType Directory -Force $userHome | Out-Null
        & chown 4242:4242 $userHome
        New-Item -ItemType SymbolicLink -Path (Join-Path $userHome '.pki') -Target $victim | Out-Null
        & chown -h 4242:4242 (Join-Path $userHome '.pki')
        $r = @(Set-FirefoxCryptoModule -Application Chromium -ProfilePath (Join-Path $userHome '.pki/nssdb') -Path $SoftHsm -ErrorVariable err -ErrorAction SilentlyContinue)
        $r.Status | Should -Be 'Skipped'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeFolder,*'
        @(Get-ChildItem -LiteralPath $victim -Force) | Should -BeNullOrEmpty
    }
}

Describe 'AutoSelectCertificateForUrls in Debian''s chromium' -Skip:([bool]$BrowserSkip) {
    It 'writes the managed policy that chrome://policy shows applied, with status OK' {
        $r = @(Set-ChromiumCertificatePolicy -IssuerCommonName 'Ekeng Test Citizen CA' -Browser Chromium)
        $r.Status | Should -Be 'Added'
        $r.Target | Should -Be (Join-Path $Managed 'ekeng-powershell.json')
        (& stat -c '%a' $r.Target) | Should -Be '644'
        $page = (Get-ChromiumPolicyPage) -replace '\s+', ' '
        $page | Should -Match 'AutoSelectCertificateForUrls \[.*https://crm\.ekeng\.am.*Ekeng Test Citizen CA.*\] Platform Machine Mandatory OK'
        # Test-EkengSetup's policy check sees it too (its issuer is not a card's here, so it names the one found).
        Set-ChromiumCertificatePolicy -IssuerCommonName 'Ekeng Test Citizen CA' -Browser Chromium | ForEach-Object Status | Should -Be 'AlreadyPresent'
    }

    It 'keeps another policy of the file and removes only its entry; the file goes when nothing is left' {
        $file = Join-Path $Managed 'ekeng-powershell.json'
        $json = Get-Content -Raw -LiteralPath $file | ConvertFrom-Json -AsHashtable
        $json['HomepageLocation'] = 'https://www.ekeng.am'
        $json | ConvertTo-Json | Set-Content -LiteralPath $file
        @(Remove-ChromiumCertificatePolicy -Browser Chromium).Status | Should -Be 'Removed'
        (Get-Content -Raw -LiteralPath $file | ConvertFrom-Json -AsHashtable).Keys | Should -Be @('HomepageLocation')
        Set-ChromiumCertificatePolicy -IssuerCommonName 'Ekeng Test Citizen CA' -Browser Chromium | Out-Null
        $json = Get-Content -Raw -LiteralPath $file | ConvertFrom-Json -AsHashtable
        $json.Remove('HomepageLocation'); $json | ConvertTo-Json | Set-Content -LiteralPath $file
        @(Remove-ChromiumCertificatePolicy -Browser Chromium).Status | Should -Be 'Removed'
        Test-Path -LiteralPath $file | Should -BeFalse
        @(Remove-ChromiumCertificatePolicy -Browser Chromium).Status | Should -Be 'NotPresent'
    }

    It 'refuses an http:// URL with PolicyValueInvalid and writes nothing' {
        Remove-ChromiumCertificatePolicy -Browser Chromium | Out-Null
        Set-ChromiumCertificatePolicy -IssuerCommonName 'Ekeng Test Citizen CA' -Browser Chromium -Url 'http://crm.ekeng.am' -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PolicyValueInvalid,*'
        Test-Path -LiteralPath (Join-Path $Managed 'ekeng-powershell.json') | Should -BeFalse
    }
}

Describe 'Set-ChromiumCertificatePolicy refusals (no browser needed)' -Skip:([bool]$NssSkip) {
    It 'asks for one -Browser with -PolicyFolder (PolicyFolderNeedsOneBrowser)' {
        { Set-ChromiumCertificatePolicy -IssuerCommonName 'Ekeng Test Citizen CA' -PolicyFolder (Join-Path $Root 'managed') -ErrorAction Stop } |
            Should -Throw -ErrorId 'PolicyFolderNeedsOneBrowser,Ekeng.PowerShell.Commands.SetChromiumCertificatePolicyCommand'
        Test-Path -LiteralPath (Join-Path $Root 'managed') | Should -BeFalse
    }

    It 'reports a folder it cannot write as PolicyWriteFailed, an error record, not an exception' {
        $file = Join-Path $Root 'a-file'
        Set-Content -LiteralPath $file -Value 'x'
        $r = @(Set-ChromiumCertificatePolicy -IssuerCommonName 'Ekeng Test Citizen CA' -Browser Chromium -PolicyFolder (Join-Path $file 'managed') -ErrorVariable err -ErrorAction SilentlyContinue)
        $r | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PolicyWriteFailed,*'
        Get-Content -Raw -LiteralPath $file | Should -Be "x`n"
    }
}
