# The one skip rule (tests/TestRun.psm1) and the preamble every Pester file shares (tests/pester/TestHelpers.psm1):
# a test that cannot run is skipped with its reason, and with CI=true it fails instead. No rig needed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:SavedCi = $env:CI
    $script:Missing = "ekeng-no-such-tool-$PID"
}

AfterAll { $env:CI = $SavedCi }

Describe 'The skip rule' {
    AfterEach { $env:CI = $SavedCi }

    It 'without CI: a missing command is a skip that names it, said as a warning' {
        $env:CI = $null
        $all = @(Get-RigSkipReason -Command $Missing 3>&1)
        $warned = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $reason = @($all | Where-Object { $_ -is [string] })
        $reason | Should -Be "SKIPPED: '$Missing' is not installed (build.ps1 -Task Deps)"
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Be $reason[0]
    }

    It 'with CI=true: the same missing command throws, so the run fails instead of skipping' {
        $env:CI = 'true'
        { Get-RigSkipReason -Command $Missing 3>$null } | Should -Throw "CI=true never skips a rig test, but: '$Missing' is not installed*"
        Test-NoSkipRun | Should -BeTrue
    }

    It 'nothing missing: no reason, with or without CI' {
        foreach ($ci in $null, 'true') {
            $env:CI = $ci
            Get-RigSkipReason -Command pwsh, id | Should -BeNullOrEmpty
        }
    }
}

Describe 'The shared helpers' {
    It 'Sec gives the SecureString of the text' {
        $secure = Sec '86420975'
        $secure | Should -BeOfType ([securestring])
        [System.Net.NetworkCredential]::new('', $secure).Password | Should -Be '86420975'
    }

    It 'a child PowerShell is the same PowerShell as this one (Invoke-ChildPwsh, New-PwshStartInfo)' {
        $version = "$($PSVersionTable.PSVersion)"
        (Invoke-ChildPwsh -Command '"$($PSVersionTable.PSVersion)"') | Should -Be $version
        $psi = New-PwshStartInfo -ArgumentList '-Command', '"$($PSVersionTable.PSVersion)"'
        $child = [System.Diagnostics.Process]::Start($psi)
        $out = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit(60000) | Should -BeTrue
        $out.Trim() | Should -Be $version
    }
}
