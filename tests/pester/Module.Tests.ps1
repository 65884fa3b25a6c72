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
        $Module.Version.ToString(3) | Should -Be $props.SelectSingleNode('/Project/PropertyGroup/EkengVersion').InnerText.Trim()
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

    It 'lists every cmdlet in the README command table, with the output types its class declares' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $section = [regex]::Match($readme, '(?s)## The manual, procedure by procedure(.*?)\n### ').Groups[1].Value
        $rows = @($section -split "`n" | Where-Object { $_ -match '^\| [^-]' -and $_ -notmatch '^\| procedure' })
        $rows.Count | Should -BeGreaterThan 10
        # The table's preamble says the registration and fee commands return a PortalGuide when no service is named.
        $section | Should -Match 'return a `PortalGuide` instead'
        foreach ($cmd in Get-Command -Module Ekeng -CommandType Cmdlet) {
            $row = @($rows | Where-Object { $_.Contains("``$($cmd.Name)``") -or ($_.Contains("``$($cmd.Verb)-``") -and $_.Contains("$($cmd.Noun)``")) })
            $row.Count | Should -BeGreaterThan 0 -Because "$($cmd.Name) is exported, so the README's command table names it"
            $cells = $row[0].Trim('|', ' ') -split '\s*\|\s*'
            if ($cells[3] -notmatch 'per command|as above') {
                $listed = @($cells[3] -split ',\s*')
                foreach ($type in $cmd.OutputType | Where-Object { $_.Type.Name -ne 'PortalGuide' }) {
                    $name = $type.Type.Name
                    $listed | Should -Contain $name -Because "$($cmd.Name) declares [OutputType($name)] and the table's row lists '$($cells[3])'"
                }
            }
        }
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

    It 'loads neither Pkcs11Interop nor System.Text.Json at import and reads no trust store before a card command; a cmdlet''s output is formatted by its view' {
        $out = Invoke-ChildPwsh -Command @"
`$before = [AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { `$_.GetName().Name }
Import-Module '$ModulePath'
`$names = [AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { `$_.GetName().Name }
'ekeng=' + [bool](`$names -contains 'Ekeng.Core')
'pkcs11interop=' + [bool](`$names -contains 'Pkcs11Interop')
'json=' + [bool]((`$names -contains 'System.Text.Json') -and -not (`$before -contains 'System.Text.Json'))
'truststore=' + [Ekeng.Http.TrustStoreWarmUp]::Started
`$dir = Join-Path ([IO.Path]::GetTempPath()) "ekeng-views-`$PID"
New-Item -ItemType Directory -Force `$dir | Out-Null
Set-FirefoxCryptoModule -ProfilePath `$dir -Path /usr/lib/view-test.so -Name 'View test' -Force -WarningAction SilentlyContinue | Out-String -Width 200
'cardalias=' + ([Ekeng.Cards.EkengCard]::new('R 0', [Ekeng.Cards.CardState]::Absent, [byte[]]@()).ReaderName)
'truststore-after-firefox=' + [Ekeng.Http.TrustStoreWarmUp]::Started
`$null = Get-EkengCard -ErrorAction SilentlyContinue
'truststore-after-card=' + [Ekeng.Http.TrustStoreWarmUp]::Started
Remove-Item -Recurse -Force `$dir
"@
        $text = $out -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match 'ekeng=True'
        $text | Should -Match 'pkcs11interop=False'
        $text | Should -Match 'json=False'
        # .NET's one read of the system trust store (the first TLS handshake's) starts in the background with the first
        # card command on Linux; neither the import nor a browser command starts it.
        $text | Should -Match 'truststore=False'
        $text | Should -Match 'truststore-after-firefox=False'
        $text | Should -Match "truststore-after-card=$([bool]$IsLinux)"
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

Describe 'Manifest, release notes and notices of the built folder' {
    BeforeAll {
        $script:ManifestPath = Join-Path $ModulePath 'Ekeng.psd1'
        $script:Data = Import-PowerShellDataFile $ManifestPath
        $script:RepoRoot = Join-Path $PSScriptRoot '../..'
    }

    It 'passes Test-ModuleManifest' {
        $tested = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop
        $tested.Name | Should -Be 'Ekeng'
        $tested.Version.ToString(3) | Should -Be $Data.ModuleVersion
        @($tested.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($Data.CmdletsToExport | Sort-Object)
        @($tested.ExportedFormatFiles | ForEach-Object { Split-Path -Leaf $_ }) | Should -Be @('Ekeng.format.ps1xml')
    }

    It 'says it is not an official EKENG product and names no project or licence address it does not have' {
        $Data.Description | Should -Match 'not an official EKENG product'
        $Data.PrivateData.PSData.Keys | Should -Not -Contain 'LicenseUri'
        $Data.PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri'
        Test-Path (Join-Path $ModulePath 'LICENSE') | Should -BeTrue
    }

    It 'registers its Windows PowerShell 5.1 assembly resolver through a module initializer PowerShell calls at import' {
        $type = [Ekeng.PowerShell.Infrastructure.EkengCmdlet].Assembly.GetType('Ekeng.PowerShell.Infrastructure.ModuleAssemblyInitializer')
        $type | Should -Not -BeNullOrEmpty
        $type.IsPublic | Should -BeTrue
        [System.Management.Automation.IModuleAssemblyInitializer].IsAssignableFrom($type) | Should -BeTrue
        [System.Management.Automation.IModuleAssemblyCleanup].IsAssignableFrom($type) | Should -BeTrue
        $Data.RootModule | Should -Be 'Ekeng.PowerShell.dll' -Because 'PowerShell runs the initializers of the root module assembly'
    }

    It 'accepts Windows PowerShell 5.1 (Desktop) and PowerShell 7 (Core), as README says' {
        $Data.PowerShellVersion | Should -Be '5.1'
        @($Data.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
        $readme | Should -Match 'Windows PowerShell 5\.1'
        $readme | Should -Match 'PowerShell 7\.4 or later'
    }

    It 'has release notes for its version, and a CHANGELOG entry for it' {
        $changelog = Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md')
        $newest = [regex]::Match($changelog, '(?m)^## (\d+\.\d+\.\d+)').Groups[1].Value
        $newest | Should -Be $Data.ModuleVersion -Because 'the newest CHANGELOG entry is the version being built'
        $Data.PrivateData.PSData.ReleaseNotes | Should -Match "^$([regex]::Escape($Data.ModuleVersion)) "
        $Data.PrivateData.PSData.ReleaseNotes | Should -Match 'CHANGELOG\.md'
    }

    It 'names every library it carries in THIRD-PARTY-NOTICES.md, and no library it no longer carries' {
        $notices = Join-Path $ModulePath 'THIRD-PARTY-NOTICES.md'
        Test-Path $notices | Should -BeTrue
        $text = Get-Content -Raw $notices
        $ours = 'Ekeng.PowerShell.dll', 'Ekeng.Core.dll', 'Ekeng.Tls.dll'
        $shipped = @(Get-ChildItem $ModulePath -Filter '*.dll' | Where-Object Name -NotIn $ours | ForEach-Object Name)
        $shipped.Count | Should -BeGreaterThan 5
        foreach ($dll in $shipped) {
            $text | Should -Match "\| [^|]*\b$([regex]::Escape($dll))\b" -Because "$dll is shipped"
        }
        # The table's rows name files; each named file is shipped.
        $named = [regex]::Matches($text, '(?m)^\| ([^|]+) \|') | ForEach-Object { $_.Groups[1].Value -split ',\s*' } | Where-Object { $_ -like '*.dll' }
        foreach ($dll in $named) {
            $shipped | Should -Contain $dll.Trim() -Because "THIRD-PARTY-NOTICES.md lists $dll"
        }
    }
}
