<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages the Ekeng module.
.DESCRIPTION
    Run with the repository's own PowerShell: dotnet tool restore; dotnet pwsh -NoProfile ./build.ps1 -Task <names>
    The tasks (this table is the list -Task completes and accepts; each runs the function Invoke-<Task>Task):
      Build    dotnet publish into out/Ekeng: a complete module folder (manifest stamped with the version, help).
      Test     Build, xunit, then Pester against the BUILT module; results under out/test-results; fails on any
               failed test; ends with one line 'N passed, N failed, N skipped' over both runners.
      Deps     Debian/Ubuntu as root: apt-installs the rig packages that are missing; elsewhere names them.
      Demo     The main job: the manual's steps against the rigs (virtual card, tokens, Firefox, sandbox).
      Bench    The speed figures (medians of repeated runs, ratios measured in the same run).
      Package  A .nupkg of the module in out/ that a PSResourceGet repository accepts.
      Clean    Removes out/ and the projects' bin/obj folders.
#>
[CmdletBinding()]
param(
    # One or more tasks of the table in the description (Get-Help ./build.ps1). From a shell, 'Deps,Test' works too (with -File, PowerShell passes a
    # comma list as one string). The completer reads the table from this script's help.
    [ArgumentCompleter({
            param($command, $parameter, $word, $commandAst)
            $script = if ($commandAst) { $commandAst.GetCommandName() } else { $command }
            $help = (Get-Command $script).ScriptBlock.Ast.GetHelpContent().Description
            [regex]::Matches($help, '(?m)^ {2}([A-Z]\w+) {2,}\S') | ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -like "$word*" }
        })]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester: only the test files whose path matches this wildcard (all by default).
    [string] $PesterFilter = '*',

    # Skip the xunit run (Pester only), for quick iterations.
    [switch] $SkipXunit
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:NO_COLOR = '1'

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'Ekeng'
$Results = Join-Path $Out 'test-results'
# The skip rule and the same PowerShell for child processes (tests/TestRun.psm1); the test run's results.
Import-Module (Join-Path $Root 'tests/TestRun.psm1')
Import-Module (Join-Path $Root 'tests/TestResults.psm1')
$Pwsh = Get-PwshCommand

# The Debian packages the rigs need (docs/RIGS.md).
$RigPackages = @('pcscd', 'vsmartcard-vpcd', 'pcsc-tools', 'opensc', 'softhsm2', 'libnss3-tools', 'firefox-esr', 'libengine-pkcs11-openssl', 'procps',
    'chromium', 'chromium-driver', 'fonts-dejavu-core', 'poppler-utils')

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' exited with $LASTEXITCODE." }
}

function Invoke-Pwsh {
    param([Parameter(Mandatory)] [string] $File, [string[]] $ArgumentList = @(), [switch] $AllowFailure)
    & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $File @ArgumentList
    if (-not $AllowFailure -and $LASTEXITCODE -ne 0) { throw "'$File' exited with $LASTEXITCODE." }
}

function Get-EkengVersion {
    $props = [xml](Get-Content -Raw -LiteralPath (Join-Path $Root 'Directory.Build.props'))
    $node = $props.SelectSingleNode('/Project/PropertyGroup/EkengVersion')
    if (-not $node) { throw 'Directory.Build.props has no EkengVersion.' }
    $node.InnerText.Trim()
}

# Pester's version lives in one place: the PackageDownload of tests/tools/Tools.csproj.
function Get-PesterVersion {
    $tools = [xml](Get-Content -Raw -LiteralPath (Join-Path $Root 'tests/tools/Tools.csproj'))
    $node = $tools.SelectSingleNode("//PackageDownload[@Include='Pester']")
    if (-not $node) { throw 'tests/tools/Tools.csproj has no PackageDownload of Pester.' }
    $node.GetAttribute('Version').Trim('[', ']')
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    ($line -replace '^global-packages:\s*', '').Trim()
}

# The licence of the module and the notices of the libraries it carries travel in the module folder (and its .nupkg).
function Copy-ModuleNotices {
    foreach ($name in 'LICENSE', 'THIRD-PARTY-NOTICES.md') {
        Copy-Item -LiteralPath (Join-Path $Root $name) -Destination $ModuleOut
    }
}

# Tasks that need the built module call Build-EkengModule: it builds once per run of this script (-Task Build,Test
# builds once).
$script:Built = $false

function Build-EkengModule {
    if ($script:Built) { return }
    $script:Built = $true
    Write-Host "== Build ($Configuration) -> $ModuleOut"
    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/Ekeng.PowerShell/Ekeng.PowerShell.csproj'), '-c', $Configuration, '-o', $ModuleOut, '--nologo', '-v', 'quiet')
    # Ekeng.Tls.dll (net8.0, the card's mutual TLS off Windows) beside the cmdlets, loaded at run time on PowerShell 7.
    # Only that DLL: its net8.0 copies of shared packages must not replace the netstandard2.0 ones Windows PowerShell loads.
    $tlsOut = Join-Path $Out 'obj-tls'
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/Ekeng.Tls/Ekeng.Tls.csproj'), '-c', $Configuration, '-o', $tlsOut, '--nologo', '-v', 'quiet')
    Copy-Item (Join-Path $tlsOut 'Ekeng.Tls.dll') -Destination $ModuleOut
    # The publish output's own deps file and the reference-only PowerShell assembly do not belong in a module.
    Get-ChildItem $ModuleOut -Filter '*.deps.json' | Remove-Item
    Get-ChildItem $ModuleOut -Filter 'System.Management.Automation.dll' | Remove-Item

    $moduleSource = Join-Path $Root 'module'
    Get-ChildItem $moduleSource -File | Copy-Item -Destination $ModuleOut
    Copy-ModuleNotices
    New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'en-US') | Out-Null
    Get-ChildItem (Join-Path $moduleSource 'en-US') -File | Copy-Item -Destination (Join-Path $ModuleOut 'en-US')
    # about_Ekeng in Armenian: Get-Help finds it when $PSUICulture is hy-AM (cmdlet help falls back to en-US).
    New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'hy-AM') | Out-Null
    Get-ChildItem (Join-Path $moduleSource 'hy-AM') -File | Copy-Item -Destination (Join-Path $ModuleOut 'hy-AM')

    $manifest = Join-Path $ModuleOut 'Ekeng.psd1'
    $version = Get-EkengVersion
    $text = Get-Content -Raw -LiteralPath $manifest
    $stamped = $text -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    [System.IO.File]::WriteAllText($manifest, $stamped, [System.Text.UTF8Encoding]::new($false))

    # Help is generated in a fresh process that imports the built module.
    Invoke-Pwsh (Join-Path $Root 'tools/New-MamlHelp.ps1') @('-ModulePath', $ModuleOut, '-SourcePath', (Join-Path $moduleSource 'en-US/help'))
    Write-Host "   Ekeng $version built."

    # The EKENG sandbox (src/Ekeng.Sandbox): its own folder, not part of the module.
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/Ekeng.Sandbox/Ekeng.Sandbox.csproj'), '-c', $Configuration, '-o', (Join-Path $Out 'sandbox'), '--nologo', '-v', 'quiet')
    Write-Host "   Sandbox built: $(Join-Path $Out 'sandbox')"
}

# The rig packages that dpkg does not list as installed (one dpkg-query call for all of them).
function Get-MissingRigPackage([string[]] $Packages) {
    $installed = @(& dpkg-query -W -f '${Package} ${Status}\n' @Packages 2>$null |
        Where-Object { $_ -match '^(\S+) install ok installed$' } | ForEach-Object { ($_ -split ' ')[0] })
    $Packages | Where-Object { $_ -notin $installed }
}

function Invoke-DepsTask {
    Write-Host '== Deps'
    if (-not (Get-Command dpkg-query -ErrorAction Ignore)) {
        $null = Resolve-SkipReason "not a Debian/Ubuntu machine: install these (or your OS's equivalents) for the rigs: $($RigPackages -join ', ')" -What 'rig package'
        return
    }
    $missing = @(Get-MissingRigPackage $RigPackages)
    if (-not $missing) { Write-Host '   All rig packages are installed.'; return }
    $isRoot = (& id -u) -eq '0'
    if (-not $isRoot) {
        $null = Resolve-SkipReason "missing rig packages: $($missing -join ' '). Run as root: apt-get install --no-install-recommends $($missing -join ' ')" -What 'rig package'
        return
    }
    Write-Host "   apt-get install $($missing -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native apt-get @('update', '-qq')
    Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $missing)
    $still = @(Get-MissingRigPackage $missing)
    if ($still) { throw "apt-get did not install: $($still -join ' ')." }
    Write-Host "   Installed: $($missing -join ' ')."
}

# The hosts the manifest accepts, checked from here (no Windows, no PowerShell 7.4 here): the .NET Framework compile of
# the module's netstandard2.0 projects, and the .NET 8 program that stands in for PowerShell 7.4 (out/hostcheck, run by
# tests/Ekeng.Hosts.Tests, whose results count in the closing line).
function Invoke-HostChecksBuild {
    Write-Host '== Hosts: the module compiled for .NET Framework 4.7.2 (reference assemblies), the .NET 8 host check'
    # An API .NET Framework lacks fails this build; nothing of it is shipped (out/net472check).
    Invoke-Native dotnet @('build', (Join-Path $Root 'src/Ekeng.PowerShell/Ekeng.PowerShell.csproj'), '-c', $Configuration, '-p:EkengNet472Check=true', '--nologo', '-v', 'quiet')
    Write-Host '   Ekeng.Core and Ekeng.PowerShell compile for net472.'
    $hostCheck = Join-Path $Out 'hostcheck'
    if (Test-Path $hostCheck) { Remove-Item -Recurse -Force $hostCheck }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'tests/Ekeng.HostCheck/Ekeng.HostCheck.csproj'), '-c', $Configuration, '-o', $hostCheck, '--nologo', '-v', 'quiet')
    Write-Host "   .NET 8 host check: $hostCheck"
}

function Invoke-TestTask {
    Build-EkengModule
    if (Test-Path $Results) { Remove-Item -Recurse -Force $Results }
    New-Item -ItemType Directory -Force $Results | Out-Null
    $tally = New-TestTally

    if (-not $SkipXunit) {
        Invoke-HostChecksBuild
        foreach ($project in Get-XunitProject (Join-Path $Root 'tests')) {
            Invoke-XunitProject (Join-Path $Root "tests/$project/$project.csproj") -Configuration $Configuration -ResultPath $Results -Tally $tally
        }
    }

    Write-Host '== Pester'
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/tools/Tools.csproj'), '--nologo', '-v', 'quiet')
    $pester = Join-Path (Get-NuGetPackageRoot) "pester/$(Get-PesterVersion)/tools/Pester.psd1"
    # The filter travels in the environment: wildcards in native arguments are globbed by pwsh on Unix.
    $env:EKENG_PESTER_FILTER = $PesterFilter
    Invoke-Pwsh (Join-Path $Root 'tests/pester/Invoke-Pester.ps1') -AllowFailure @('-PesterPath', $pester, '-ModulePath', $ModuleOut, '-ResultPath', $Results)
    Add-PesterResult -ResultPath $Results -ExitCode $LASTEXITCODE -Tally $tally

    Complete-TestRun $tally
}

function Invoke-BuildTask { Build-EkengModule }

function Invoke-DemoTask {
    Build-EkengModule
    Write-Host '== Demo: the manual, end to end'
    Invoke-Pwsh (Join-Path $Root 'demo/Demo.ps1') @('-ModulePath', $ModuleOut)
}

function Invoke-BenchTask {
    Build-EkengModule
    Write-Host '== Bench'
    Invoke-Pwsh (Join-Path $Root 'tests/bench/Bench.ps1') @('-ModulePath', $ModuleOut, '-OutPath', (Join-Path $Out 'bench'))
}

function Invoke-PackageTask {
    Build-EkengModule
    Write-Host '== Package'
    Invoke-Pwsh (Join-Path $Root 'tools/New-ModulePackage.ps1') @('-ModulePath', $ModuleOut, '-OutPath', $Out)
}

function Invoke-CleanTask {
    foreach ($dir in @($Out) + (Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        if ($dir -and (Test-Path $dir)) { Remove-Item -Recurse -Force $dir }
    }
}

# The tasks: the table of this script's help, read as the -Task completer reads it (one list for help, completion,
# the check of the names given and the dispatch to Invoke-<Task>Task).
$completer = ($MyInvocation.MyCommand.Parameters['Task'].Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }).ScriptBlock
$KnownTasks = @(& $completer $PSCommandPath 'Task' '')
$Task = @($Task | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
foreach ($name in $Task) {
    if ($name -notin $KnownTasks) { throw "Unknown task '$name'. Tasks: $($KnownTasks -join ', ')." }
    if (-not (Get-Command "Invoke-${name}Task" -CommandType Function -ErrorAction Ignore)) { throw "build.ps1 has no function Invoke-${name}Task for the task '$name' of its help." }
}

Push-Location $Root
try {
    foreach ($name in $Task) {
        & "Invoke-${name}Task"
    }
}
finally {
    Pop-Location
}
