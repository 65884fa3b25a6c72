# What a sysadmin sees: common parameters behave as in Microsoft's own modules.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = $env:EKENG_MODULE_PATH
}

Describe '-Debug never prompts' {
    BeforeAll {
        $script:Profile = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-ux-$PID"
        New-Item -ItemType Directory -Force $Profile | Out-Null
    }
    AfterAll { Remove-Item -Recurse -Force -LiteralPath $Profile -ErrorAction Ignore }

    It '<Command> -Debug in a non-interactive session shows Debug and Verbose messages and asks nothing' -TestCases @(
        @{ Command = 'Get-EkengCard' }
        @{ Command = 'Get-EkengCertificate' }
        @{ Command = 'Get-FirefoxCryptoModule -ProfilePath $args[0]' }
        @{ Command = 'Test-FirefoxCryptoModule -ProfilePath $args[0]' }
        @{ Command = 'Set-FirefoxCryptoModule -ProfilePath $args[0] -Path /usr/lib/softhsm/libsofthsm2.so -WhatIf' }
    ) {
        param($Command)
        $script = @"
Import-Module '$ModulePath'
`$records = [System.Collections.Generic.List[object]]::new()
try { & { $Command -Debug } '$Profile' *>&1 | ForEach-Object { `$records.Add(`$_) } } catch { `$records.Add(`$_) }
foreach (`$r in `$records) { '{0}|{1}' -f `$r.GetType().Name, `$r }
"@
        $lines = @(Invoke-ChildPwsh -Command $script)
        $text = $lines -join "`n"
        $text | Should -Not -Match 'Read and Prompt functionality is not available'
        $text | Should -Not -Match 'Confirm'
        @($lines | Where-Object { $_ -like 'DebugRecord|*' -or $_ -like 'VerboseRecord|*' }).Count | Should -BeGreaterThan 0 -Because "the messages of $Command are shown:`n$text"
    }
}

Describe 'Parameters a sysadmin types' {
    It 'Get-EkengCard -Timeout alone waits (no prompt for a mandatory -Wait)' {
        $lines = @(Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; try { Get-EkengCard -Timeout 1 -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }")
        $text = $lines -join "`n"
        $text | Should -Not -Match 'missing mandatory parameters|Supply values'
        $text | Should -Match 'CardWaitTimeout|PcscServiceUnavailable|PcscLibraryNotFound'
        Import-Module $ModulePath -Force
        (Get-Command Get-EkengCard).Parameters['Timeout'].ParameterSets.Keys | Should -Be @('Wait')
    }
}

Describe 'One vocabulary for the two keys' {
    BeforeAll { Import-Module $ModulePath -Force }

    It 'Get-EkengCertificate -Kind completes with Auth and Sign, as -PinKind does, and never offers Unknown' {
        $line = 'Get-EkengCertificate -Kind '
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('Auth', 'Sign')
        $line = 'Initialize-EkengPin -PinKind '
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('Auth', 'Sign')
    }

    It 'Get-EkengCertificate -Kind Unknown is refused before anything is read, naming Auth and Sign' {
        $err = $null
        try { Get-EkengCertificate -Kind Unknown -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,Ekeng.PowerShell.Commands.GetEkengCertificateCommand'
        $err.Exception.Message | Should -Match '"Auth,Sign"'
    }
}

Describe 'Views that fit a terminal' {
    BeforeAll {
        Import-Module $ModulePath -Force
        $atr = [byte[]](0x3B, 0xDC, 0x18, 0xFF, 0x81, 0x91, 0xFE, 0x1F, 0xC3, 0x80, 0x73, 0xC8, 0x21, 0x13, 0x66, 0x05, 0x03, 0x63, 0x51, 0x00, 0x02, 0x50)
        $script:Card = [Ekeng.Cards.EkengCard]::new('Ekeng Virtual PCD 00 00', [Ekeng.Cards.CardState]::Present, $atr)
    }

    It 'the default Get-EkengCard table fits 80 columns with reader, state, ARMID and both PIN states' {
        $text = $Card | Out-String -Width 80
        $lines = $text -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Reader\s+State\s+ARMID\s+AuthPIN\s+SignPIN\s*$'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $text | Should -Match 'Ekeng Virtual PCD 00 00\s+Present'
    }

    It 'the list view shows the rest (ATR, module) with the same reader text' {
        $text = $Card | Format-List | Out-String -Width 200
        $text | Should -Match 'Reader\s+: Ekeng Virtual PCD 00 00'
        $text | Should -Match 'Atr\s+: 3BDC18FF'
    }
}

Describe 'Firefox output: one set of column names, paths whole' {
    BeforeAll {
        Import-Module $ModulePath -Force
        $script:Long = '/opt/a rather long vendor folder/with several levels/of directories/lib/libccpkip11.so'
        $script:Module = [Ekeng.Firefox.FirefoxCryptoModule]@{
            Application = 'Firefox'; Scope = 'Profile'; Profile = 'default-release'; Name = 'ARMID (CryptoCard)'
            Library = $Long; ProfilePath = '/home/someone/.mozilla/firefox/abcd1234.default-release'; Status = 'Present'
        }
    }

    It 'the table heads Status, Profile, Name, Library, Target; the Profile column is the Profile property (ProfileName an alias)' {
        $lines = ($Module | Out-String -Width 200) -split "`r?`n" | Where-Object { $_.Trim() }
        $head = @($lines | Where-Object { $_ -match '^Status\s' })
        $head | Should -Match '^Status\s+Profile\s+Name\s+Library\s+Target\s*$'
        # The cell under the Profile heading shows the Profile property (not ProfilePath, not the application).
        $row = $lines[[array]::IndexOf($lines, $head[0]) + 2]
        $column = $head[0].IndexOf('Profile')
        $row.Substring($column).Split(' ')[0] | Should -Be 'default-release'
        # ProfileName follows Profile: a second object whose Profile differs says so under both names.
        $other = [Ekeng.Firefox.FirefoxCryptoModule]@{ Application = 'Firefox'; Scope = 'Profile'; Profile = 'work'; Name = 'x'; Library = '/x.so'; Status = 'Present' }
        $other.ProfileName | Should -Be 'work'
        $Module.ProfileName | Should -Be $Module.Profile
        foreach ($command in 'Get-FirefoxCryptoModule', 'Set-FirefoxCryptoModule', 'Test-FirefoxCryptoModule', 'Remove-FirefoxCryptoModule') {
            (Get-Command $command).OutputType.Type | Should -Contain ([Ekeng.Firefox.FirefoxCryptoModule])
        }
    }

    It 'Format-List shows the library and the target whole at 120 columns, where the table cuts them' {
        ($Module | Out-String -Width 120) | Should -Not -Match ([regex]::Escape($Long))
        $text = $Module | Format-List | Out-String -Width 120
        $text | Should -Match ([regex]::Escape($Long))
        $text | Should -Match 'Profile\s+: default-release'
        $text | Should -Match ([regex]::Escape('/home/someone/.mozilla/firefox/abcd1234.default-release'))
    }
}

Describe 'The contract terms (Get-EkengCrmTerms) as the holder reads them' {
    BeforeAll { Import-Module $ModulePath -Force }

    It 'shows the version and the whole text by default (a list: a table would cut the text at the window''s width)' {
        $text = ('The holder accepts the terms of the EKENG customer system. ' * 6).Trim()
        $out = [Ekeng.Crm.CrmTerms]::new('2026-01', $text) | Out-String -Width 100
        $out | Should -Match 'Version\s+: 2026-01'
        # Wrapped at the width, words cut included: the text is whole once the white space is left out.
        ($out -replace '\s', '') | Should -Match ([regex]::Escape(($text -replace '\s', '')))
    }
}

Describe 'Confirmations a script cannot answer' {
    It 'Remove-FirefoxCryptoModule without -Confirm:$false in a non-interactive session: a clear error naming -Confirm:$false, nothing changed' {
        $profileDir = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-ux-remove-$PID"
        New-Item -ItemType Directory -Force $profileDir | Out-Null
        $pkcs11 = "library=`nname=NSS Internal PKCS #11 Module`n`nlibrary=/usr/lib/x/libccpkip11.so`nname=CryptoCard`n"
        [System.IO.File]::WriteAllText((Join-Path $profileDir 'pkcs11.txt'), $pkcs11)
        try {
            $lines = @(Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; try { Remove-FirefoxCryptoModule -Name CryptoCard -ProfilePath '$profileDir' -ErrorAction Stop } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'ACTION=' + `$_.ErrorDetails.RecommendedAction }")
            $text = $lines -join "`n"
            $text | Should -Not -Match 'Read and Prompt functionality'
            $text | Should -Match 'ID=ConfirmationRequired,Ekeng.PowerShell.Commands.RemoveFirefoxCryptoModuleCommand'
            $text | Should -Match 'ACTION=.*-Confirm:\$false'
            [System.IO.File]::ReadAllText((Join-Path $profileDir 'pkcs11.txt')) | Should -Be $pkcs11
        }
        finally { Remove-Item -Recurse -Force -LiteralPath $profileDir -ErrorAction Ignore }
    }
}

Describe 'Help tells the truth' {
    BeforeAll { Import-Module $ModulePath -Force }

    It 'the syntax of every command that changes state shows [-WhatIf] [-Confirm]' {
        $changing = Get-Command -Module Ekeng -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('WhatIf') }
        $changing.Count | Should -BeGreaterThan 3
        foreach ($cmd in $changing) {
            $syntax = (Get-Help $cmd.Name -Full).syntax | Out-String -Width 400
            $syntax | Should -Match '\[-WhatIf\]' -Because "$($cmd.Name) supports ShouldProcess"
            $syntax | Should -Match '\[-Confirm\]' -Because "$($cmd.Name) supports ShouldProcess"
        }
    }

    It 'about_Ekeng lists every exported cmdlet, the procedures in the order of the manual' {
        $about = Get-Content -Raw -LiteralPath (Join-Path $ModulePath 'en-US/about_Ekeng.help.txt')
        foreach ($name in (Get-Command -Module Ekeng -CommandType Cmdlet).Name) {
            $about | Should -Match ([regex]::Escape($name)) -Because "about_Ekeng must list $name"
        }
        $order = 'PIN activation', 'Registration in the EKENG customer system', 'annual service fee', 'Register and pay in one step', 'Firefox security device' |
            ForEach-Object { $about.IndexOf($_) }
        $order | Should -Not -Contain -1
        @($order | Sort-Object) | Should -Be $order
    }

    It 'shows the real defaults: -PinKind both, -Timeout 60' {
        ((Get-Help Initialize-EkengPin -Parameter PinKind) | Out-String) | Should -Match 'Default value\s+Auth, Sign'
        ((Get-Help Get-EkengCard -Parameter Timeout) | Out-String) | Should -Match 'Default value\s+60'
    }
}
