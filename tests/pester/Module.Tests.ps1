# The module as shipped: manifest, exported cmdlets, help, formats, error mapping.
BeforeDiscovery {
    Import-Module $env:EKENG_MODULE_PATH -Force
    $script:CmdletNames = @((Get-Command -Module Ekeng -CommandType Cmdlet).Name)
}

BeforeAll {
    $script:ModulePath = $env:EKENG_MODULE_PATH
    Import-Module $ModulePath -Force
    $script:Module = Get-Module Ekeng
}

Describe 'Ekeng module' {
    It 'loads from the built folder with the version of Directory.Build.props' {
        $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props'))
        $Module.Version.ToString(3) | Should -Be $props.Project.PropertyGroup.EkengVersion.Trim()
    }

    It 'exports exactly the cmdlet classes of its assembly' {
        $assembly = [Ekeng.PowerShell.Infrastructure.EkengCmdlet].Assembly
        $classes = $assembly.GetExportedTypes() |
            Where-Object { -not $_.IsAbstract -and $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" } |
            Sort-Object
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'Ekeng.psd1')
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be @($classes)
        @((Get-Command -Module Ekeng -CommandType Cmdlet).Name | Sort-Object) | Should -Be @($classes)
    }

    It 'has only sealed cmdlet classes with approved verbs' {
        $approved = (Get-Verb).Verb
        foreach ($cmd in Get-Command -Module Ekeng -CommandType Cmdlet) {
            $cmd.ImplementingType.IsSealed | Should -BeTrue -Because "$($cmd.Name) is a cmdlet class"
            $cmd.Verb | Should -BeIn $approved
        }
    }

    It 'maps every service error kind to a PowerShell ErrorCategory of the same name' {
        foreach ($kind in [enum]::GetNames([Ekeng.Diagnostics.EkengErrorKind])) {
            [System.Management.Automation.ErrorCategory]::$kind | Should -Not -BeNullOrEmpty -Because "$kind must be an ErrorCategory name"
        }
    }

    It 'gives its views at import to objects no Ekeng command made: ::new() and Import-Clixml (Deserialized.*)' {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $xml = Join-Path ([IO.Path]::GetTempPath()) "ekeng-fmt-$([guid]::NewGuid().ToString('N')).xml"
        try {
            # One PowerShell writes a payment as CLIXML (Export-Clixml, as Invoke-Command's transport does) ...
            $null = Invoke-ChildPwsh -Command @"
Import-Module '$ModulePath'
`$p = [Ekeng.Payments.FeePayment]::new()
`$p.OrderNumber = 'ORD-CLIXML-1'; `$p.Amount = 3000; `$p.Status = 'Paid'; `$p.MaskedPan = '4111**1111'
`$p | Export-Clixml -LiteralPath '$xml'
"@
            # ... a fresh one imports the module, runs no Ekeng command, and formats what it reads back and what it makes.
            $out = Invoke-ChildPwsh -Command @"
Import-Module '$ModulePath'
'formats=' + ((Get-Module Ekeng).ExportedFormatFiles -join ',')
`$read = Import-Clixml -LiteralPath '$xml'
'typename=' + `$read.PSObject.TypeNames[0]
'--clixml'
`$read | Out-String -Width 120
'--new'
[Ekeng.Payments.FeePayment]::new() | Out-String -Width 120
"@
        }
        finally { Remove-Item -LiteralPath $xml -ErrorAction Ignore }
        $text = $out -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match 'formats=.*Ekeng\.format\.ps1xml'
        $text | Should -Match 'typename=Deserialized\.Ekeng\.Payments\.FeePayment'
        $clixml = ($text -split '--new')[0]
        $made = ($text -split '--new')[1]
        # The FeePayment table view (its own columns), not PowerShell's default list of every property.
        $clixml | Should -Match 'OrderNumber\s+Status\s+Amount\s+Method\s+Card\s+PaidUntil'
        $clixml | Should -Match 'ORD-CLIXML-1\s+Paid\s+3 000 AMD'
        $clixml | Should -Not -Match 'GatewayOrderStatus'
        $made | Should -Match 'OrderNumber\s+Status\s+Amount\s+Method\s+Card\s+PaidUntil'
        $made | Should -Not -Match 'GatewayOrderStatus'
    }

    It 'names its format file in the manifest and loads no views from a command (no Update-FormatData)' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'Ekeng.psd1')
        @($manifest.FormatsToProcess) | Should -Be @('Ekeng.format.ps1xml')
        Test-Path (Join-Path $ModulePath 'Ekeng.format.ps1xml') | Should -BeTrue
        $assembly = [Ekeng.PowerShell.Infrastructure.EkengCmdlet].Assembly
        $assembly.GetType('Ekeng.PowerShell.Infrastructure.FormatViews') | Should -BeNullOrEmpty
    }
}

Describe 'Import cost: what Import-Module loads' {
    BeforeAll { Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force }

    It 'loads neither Pkcs11Interop nor System.Text.Json at import; a cmdlet''s output is formatted by its view' {
        $out = Invoke-ChildPwsh -Command @"
`$before = [AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { `$_.GetName().Name }
Import-Module '$ModulePath'
`$names = [AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { `$_.GetName().Name }
'ekeng=' + [bool](`$names -contains 'Ekeng.Core')
'pkcs11interop=' + [bool](`$names -contains 'Pkcs11Interop')
'json=' + [bool]((`$names -contains 'System.Text.Json') -and -not (`$before -contains 'System.Text.Json'))
`$dir = Join-Path ([IO.Path]::GetTempPath()) "ekeng-views-`$PID"
New-Item -ItemType Directory -Force `$dir | Out-Null
Set-FirefoxCryptoModule -ProfilePath `$dir -Path /usr/lib/view-test.so -Name 'View test' -Force -WarningAction SilentlyContinue | Out-String -Width 200
'cardalias=' + ([Ekeng.Cards.EkengCard]::new('R 0', [Ekeng.Cards.CardState]::Absent, [byte[]]@()).ReaderName)
Remove-Item -Recurse -Force `$dir
"@
        $text = $out -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match 'ekeng=True'
        $text | Should -Match 'pkcs11interop=False'
        $text | Should -Match 'json=False'
        # The table view of FirefoxCryptoModule (not the default list of properties) formatted Set-'s first output.
        $text | Should -Match 'Status\s+Profile\s+Name\s+Library\s+Target'
        # The reader's second name (once a types.ps1xml alias, now a property: no type data to load at import).
        $text | Should -Match 'cardalias=R 0'
    }
}

Describe 'Help of <_>' -ForEach $CmdletNames {
    BeforeAll {
        $script:Help = Get-Help $_ -Full
        $script:Command = Get-Command $_
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $script:Parameters = $Command.Parameters.Keys | Where-Object { $_ -notin $common }
    }

    It 'has a synopsis' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match '^\s*\w+-\w+\s*\['   # not the auto-generated syntax line
    }

    It 'has a description' {
        ($Help.description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        foreach ($name in $Parameters) {
            $p = $Help.parameters.parameter | Where-Object name -EQ $name
            $p | Should -Not -BeNullOrEmpty -Because "-$name must be in the help"
            ($p.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$name must be described"
        }
    }

    It 'has at least one example' {
        @($Help.examples.example).Count | Should -BeGreaterThan 0
        $Help.examples.example[0].code | Should -Not -BeNullOrEmpty
    }
}
