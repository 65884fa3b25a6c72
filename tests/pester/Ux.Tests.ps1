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
