# build.ps1 -Task Deps on a machine that lacks a rig package: it installs it (the README's two commands start with it).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -NeedsRoot -Command 'apt-get', 'dpkg-query'
}

BeforeAll {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    # A small rig package that no other test file needs while this one runs.
    $script:Package = 'pcsc-tools'
    function script:Test-Installed([string] $name) {
        (& dpkg-query -W -f '${Status}' $name 2>$null) -eq 'install ok installed'
    }
}

Describe 'build.ps1 -Task Deps' -Skip:([bool]$Skip) {
    AfterAll {
        # Whatever happened, leave the machine with the package installed.
        if (-not (Test-Installed $Package)) { & apt-get install -y -qq --no-install-recommends $Package *> $null }
    }

    It 'puts back a rig package that is really missing, and says so' {
        & apt-get remove -y -qq $Package *> $null
        Test-Installed $Package | Should -BeFalse -Because 'the test starts with the package removed'
        $out = Invoke-ChildPwsh -Command "Set-Location '$Root'; & ./build.ps1 -Task Deps; 'EXIT=' + `$LASTEXITCODE"
        $text = $out -join "`n"
        $text | Should -Match "Installed: .*\b$Package\b" -Because $text
        $text | Should -Not -Match 'positional parameter'
        Test-Installed $Package | Should -BeTrue
    }

    It 'with every package present, says so and installs nothing' {
        $out = Invoke-ChildPwsh -Command "Set-Location '$Root'; & ./build.ps1 -Task Deps"
        ($out -join "`n") | Should -Match 'All rig packages are installed'
    }
}
