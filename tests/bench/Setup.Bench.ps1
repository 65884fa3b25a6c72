<#
.SYNOPSIS
    Test-EkengSetup's run time on the rig (a private pcscd with a vpcd reader, a SoftHSM card, a temp HOME): the whole
    run with pcscd up, and with pcscd stopped (the service check must fail fast, not wait). With the sandbox built and
    OpenSSL's pkcs11 engine: the run with -Pin against it (a registered holder whose fee is paid), and the EKENG checks
    one by one: EkengService (the contract probe, no card) and EkengRegistration + EkengFee (one card login, one GET).
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$rigs = Join-Path $PSScriptRoot '../rigs'
if ((& id -u) -ne '0' -or -not (Get-Command pcscd -ErrorAction Ignore) -or -not (Get-Command softhsm2-util -ErrorAction Ignore)) {
    Write-BenchLine 'Test-EkengSetup run' 'not measured: needs root, pcscd and SoftHSM2'
    return
}
Import-Module (Join-Path $rigs 'PcscRig.psm1') -Force
Import-Module (Join-Path $rigs 'SoftHsmRig.psm1') -Force
$rig = Start-PcscRig
$home0 = $env:HOME
$env:HOME = Join-Path ([IO.Path]::GetTempPath()) "ekeng-bench-setup-$PID"
New-Item -ItemType Directory -Force $env:HOME | Out-Null
try {
    $card = New-SoftHsmCard -Puk (ConvertTo-SecureString -String '64208642' -AsPlainText -Force)
    $env:EKENG_PKCS11_MODULE = $card.ModulePath
    Import-Module (Resolve-Path $ModulePath).Path -Force
    $checks = @(Test-EkengSetup -TrustedRootFile $card.CaCertificate)
    $ms = Measure-Median -Runs 7 -Warmup 1 { Test-EkengSetup -TrustedRootFile $card.CaCertificate }
    Write-BenchLine "Test-EkengSetup, $($checks.Count) checks, pcscd up (median of 7)" ('{0:N0} ms' -f $ms) 'every check within 5 s; the run under 5 s'
    $sandboxDll = Join-Path $PSScriptRoot '../../out/sandbox/Ekeng.Sandbox.dll'
    if (-not (Test-Path -LiteralPath $sandboxDll) -or -not (Test-Path -LiteralPath '/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so')) {
        Write-BenchLine 'Test-EkengSetup -Pin' 'not measured: needs the sandbox (Build) and libengine-pkcs11-openssl'
    }
    else {
        Import-Module (Join-Path $rigs 'SandboxRig.psm1') -Force
        $pin = ConvertTo-SecureString -String '73915284' -AsPlainText -Force
        Get-EkengCard | Where-Object { $_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk (ConvertTo-SecureString -String '64208642' -AsPlainText -Force) -Pin $pin -Confirm:$false | Out-Null
        $auth = Get-EkengCertificate -Kind Authentication
        $sb = Start-SandboxRig -ClientCa $card.CaPem -ExtraArguments '--test-controls'
        try {
            $common = @{ CrmUri = $sb.Crm; TrustedCaFile = $sb.CaFile }
            $pending = $auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @common -Pin $pin -Confirm:$false
            $code = @((Invoke-SandboxGet -Sandbox $sb -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0].code
            $null = $pending | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString -String $code -AsPlainText -Force) -Pin $pin -Confirm:$false
            $until = [datetime]::UtcNow.Date.AddDays(200).ToString('yyyy-MM-dd')
            $null = Invoke-SandboxGet -Post -Sandbox $sb -Path "sandbox/test/paid-until?publicServiceNumber=$($card.PublicServiceNumber)&paidUntil=$until"
            $checks = @(Test-EkengSetup -TrustedRootFile $card.CaCertificate -Pin $pin @common)
            $records = ($checks | Where-Object Name -like 'Ekeng*' | ForEach-Object { "$($_.Name)=$($_.Status)" }) -join ', '
            $ms = Measure-Median -Runs 7 -Warmup 1 { Test-EkengSetup -TrustedRootFile $card.CaCertificate -Pin $pin @common }
            Write-BenchLine "Test-EkengSetup -Pin, $($checks.Count) checks (median of 7)" ('{0:N0} ms ({1})' -f $ms, $records) 'every check within 5 s'
            $without = Measure-Median -Runs 7 -Warmup 1 { Test-EkengSetup -TrustedRootFile $card.CaCertificate }
            $probe = Measure-Median -Runs 7 -Warmup 1 { Test-EkengSetup -TrustedRootFile $card.CaCertificate @common }
            Write-BenchLine '  EkengService: the contract probe (run with -CrmUri minus without)' ('{0:N0} ms' -f ($probe - $without)) 'within 5 s'
            $options = [Ekeng.Setup.SetupOptions]::new()
            $options.CrmUri = $sb.Crm; $options.TrustedCaFile = $sb.CaFile; $options.Pin = $pin
            $pass = [Ekeng.Portal.PortalCheck]::new('EkengService', 'Pass', 'measured above')
            $ms = Measure-Median -Runs 7 -Warmup 1 { [Ekeng.Setup.EkengRecordsCheck]::Run($options, $pass, $auth, [Microsoft.Extensions.Logging.Abstractions.NullLogger]::Instance) }
            Write-BenchLine '  EkengRegistration + EkengFee: one card login, one GET' ('{0:N0} ms' -f $ms) 'within 5 s'
        }
        finally { $sb | Stop-SandboxRig }
    }
    Stop-PcscRig -Rig $rig
    $rig = $null
    $ms = Measure-Median -Runs 7 -Warmup 1 { Test-EkengSetup -TrustedRootFile $card.CaCertificate }
    Write-BenchLine 'Test-EkengSetup with pcscd stopped (median of 7)' ('{0:N0} ms' -f $ms) 'the service check fails at once'
}
finally {
    if ($rig) { Stop-PcscRig -Rig $rig }
    Remove-SoftHsmCard
    Remove-Item -LiteralPath $env:HOME -Recurse -Force -ErrorAction Ignore
    $env:HOME = $home0
}
