# The .nupkg of build.ps1 -Task Package installs a working module through PSResourceGet from a folder repository.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-package-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Force $Work | Out-Null
    & (Join-Path $PSScriptRoot '../../tools/New-ModulePackage.ps1') -ModulePath $env:EKENG_MODULE_PATH -OutPath $Work 6>$null | Out-Null   # its Write-Host line stays out of the test log
    $script:Package = Get-ChildItem (Join-Path $Work 'packages') -Filter 'Ekeng.*.nupkg' | Select-Object -First 1
    $script:Version = (Import-PowerShellDataFile (Join-Path $env:EKENG_MODULE_PATH 'Ekeng.psd1')).ModuleVersion
}

AfterAll {
    if ($Work -and (Test-Path $Work)) { Remove-Item -Recurse -Force $Work }
}

Describe 'Module package' {
    It 'is a nupkg named after the module version' {
        $Package | Should -Not -BeNullOrEmpty
        $Package.Name | Should -Be "Ekeng.$Version.nupkg"
    }

    It 'installs with Install-PSResource from a folder repository and imports' {
        # A child PowerShell with its own HOME: the repository list and the CurrentUser scope stay in the temp folder.
        $home2 = Join-Path $Work 'home'
        New-Item -ItemType Directory -Force $home2 | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name EkengLocal -Uri '$(Join-Path $Work 'packages')' -Trusted
Install-PSResource -Name Ekeng -Repository EkengLocal -Scope CurrentUser -TrustRepository -Quiet
Import-Module Ekeng
`$m = Get-Module Ekeng
"`$(`$m.Version)|`$(`$m.ModuleBase)|`$((Get-Command -Module Ekeng).Count)"
"@
        $oldHome = $env:HOME; $oldXdg = $env:XDG_DATA_HOME; $oldModulePath = $env:PSModulePath
        try {
            $env:HOME = $home2; $env:XDG_DATA_HOME = $null; $env:PSModulePath = $null
            $out = Invoke-ChildPwsh -Command $script
        }
        finally {
            $env:HOME = $oldHome; $env:XDG_DATA_HOME = $oldXdg; $env:PSModulePath = $oldModulePath
        }
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $version, $base, $count = ($out | Select-Object -Last 1) -split '\|'
        $version | Should -Be $Version
        $base | Should -BeLike "$home2*"
        [int]$count | Should -Be @((Import-PowerShellDataFile (Join-Path $env:EKENG_MODULE_PATH 'Ekeng.psd1')).CmdletsToExport).Count
    }
}
