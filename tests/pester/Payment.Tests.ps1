# Invoke-EkengFeePayment, Get-EkengFeePayment and Register-EkengCrm -PayOnline end to end against the REAL sandbox
# (docs/WIRE-CONTRACT.md) over mutual TLS with the SoftHSM card's never-extractable key, the holder's step on the
# gateway's card page done by tests/rigs/CardHolder in headless Chromium (a thread job that waits for the order to
# appear, then fills the page: the card data go to the CardHolder child process only). Skipped with its reason when a
# rig is missing; CI=true fails instead. One card and one PKCS#11 library for the whole file (one per process,
# DESIGN.md §6a); a fresh sandbox (its own data) gives the same holder a fresh state where a scenario needs one.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../rigs/SoftHsmRig.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../rigs/SandboxRig.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../rigs/CardHolderRig.psm1') -Force
    $script:Skip = Get-CardLoginSkipReason
    if (-not $Skip) { $script:Skip = Get-SoftHsmRigSkipReason }
    if (-not $Skip) { $r = Get-CardHolderRigSkipReason; if ($r) { $script:Skip = "SKIPPED: $r" } }
    if (-not $Skip -and -not (Get-Command pdftotext -ErrorAction Ignore)) { $script:Skip = "SKIPPED: pdftotext is missing (poppler-utils)" }
    if ($Skip) {
        if ($env:CI -eq 'true') { throw "CI=true never skips a rig test, but: $Skip" }
        Write-Warning $Skip
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../rigs/SoftHsmRig.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../rigs/SandboxRig.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../rigs/CardHolderRig.psm1') -Force
    Import-Module $env:EKENG_MODULE_PATH -Force
    function script:Sec([string] $text) { ConvertTo-SecureString -String $text -AsPlainText -Force }
    # 8+ digit test secrets that no other output contains by chance; the test cards' numbers are secrets too.
    $script:PukText = '86420975'
    $script:PinText = '73915284'
    $script:Approve = '4083060013681818'
    $script:Decline = '4000000000009995'
    $script:ThreeDs = '4000000000003220'
    $script:Rigs = (Resolve-Path (Join-Path $PSScriptRoot '../rigs')).Path
    function script:Get-GatewayOrders([object] $Sandbox) { @((Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/gateway/orders').Body | ConvertFrom-Json) }
    function script:Get-Sms([object] $Sandbox) { @((Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json) }
    # The card holder: waits for a new registered order at the gateway, then pays on its page in headless Chromium.
    function script:Start-Payer([object] $Sandbox, [string] $Pan, [string] $Code, [int] $Known = -1) {
        Start-CardHolderJob -Sandbox $Sandbox -Pan $Pan -ThreeDsCode $Code -Known $Known
    }
    function script:Register-Holder([object] $Sandbox) {
        $c = @{ CrmUri = $Sandbox.Crm; TrustedCaFile = $Sandbox.CaFile; Pin = $Pin }
        $p = $Auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @c -Confirm:$false
        $p | Register-EkengCrm -SmsCode (Sec (Get-Sms $Sandbox)[0].code) -Pin $Pin -Confirm:$false
    }
}

Describe 'Paying the annual fee against the sandbox' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Card = New-SoftHsmCard -Puk (Sec $PukText) -PublicServiceNumber '1234567890'
        $script:RigCaPem = $Card.CaPem
        # Through OpenSC's spy: its log shows every PKCS#11 call of this process (the module's and the TLS engine's).
        $script:Spy = @('/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
        $script:SpyLog = Join-Path $Card.Root 'pkcs11-spy.log'
        Set-NativeEnvironment 'PKCS11SPY' $Card.ModulePath
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $SpyLog
        $ekengCard = Get-EkengCard -Pkcs11Module $Spy | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1
        $null = $ekengCard | Initialize-EkengPin -Puk (Sec $PukText) -Pin (Sec $PinText) -Confirm:$false
        $script:Auth = Get-EkengCertificate -Card $ekengCard -Kind Authentication
        $script:Pin = Sec $PinText
        $script:Sandbox = Start-SandboxRig -ClientCa $RigCaPem
        $script:Sandboxes = [System.Collections.Generic.List[object]]::new()
        $Sandboxes.Add($Sandbox)
        $script:Common = @{ CrmUri = $Sandbox.Crm; TrustedCaFile = $Sandbox.CaFile; Pin = $Pin }
        $script:Registration = Register-Holder $Sandbox
        $script:Pdf = Join-Path $Card.Root 'receipt.pdf'
        $script:Transcript = Join-Path $Card.Root 'transcript.txt'
        $script:Captured = [System.Text.StringBuilder]::new()
    }
    AfterAll {
        Get-Job | Remove-Job -Force -ErrorAction Ignore
        if (Get-Variable Sandboxes -Scope Script -ErrorAction Ignore) { $Sandboxes | Stop-SandboxRig }
        Set-NativeEnvironment 'PKCS11SPY' $null
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $null
        Remove-SoftHsmCard
    }

    It 'a declined card: PaymentDeclined with actionCode 116, never retried' {
        $Registration.Status | Should -Be 'Active'
        $payer = Start-Payer $Sandbox $Decline
        Start-Transcript -Path $Transcript -Append | Out-Null
        try {
            $out = $Registration | Invoke-EkengFeePayment -Pin $Pin -Timeout 00:01:00 -Confirm:$false -Verbose -Debug -ErrorAction SilentlyContinue -ErrorVariable e *>&1
        }
        finally { Stop-Transcript | Out-Null }
        $null = $Captured.AppendLine(($out | Out-String)).AppendLine(($e | Out-String))
        ($payer | Receive-Job -Wait -AutoRemoveJob).Succeeded | Should -BeTrue
        $e[0].FullyQualifiedErrorId | Should -Be 'PaymentDeclined,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'
        $e[0].Exception.Message | Should -Match 'actionCode 116'
        $e[0].TargetObject.ActionCode | Should -Be 116
        $e[0].TargetObject.Status | Should -Be 'Declined'
        $orders = Get-GatewayOrders $Sandbox
        $orders.Count | Should -Be 1
        $orders[0].orderStatus | Should -Be 6
    }

    It 'an approved card: Paid, masked card, approval code, PaidUntil extended; the PDF receipt in Armenian and English' {
        $payer = Start-Payer $Sandbox $Approve
        Start-Transcript -Path $Transcript -Append | Out-Null
        try {
            $out = $Registration | Invoke-EkengFeePayment -Pin $Pin -Timeout 00:01:00 -ReceiptPath $Pdf -Confirm:$false -Verbose -Debug *>&1
        }
        finally { Stop-Transcript | Out-Null }
        $null = $Captured.AppendLine(($out | Out-String))
        ($payer | Receive-Job -Wait -AutoRemoveJob).Succeeded | Should -BeTrue
        $script:Paid = @($out | Where-Object { $_ -is [Ekeng.Payments.FeePayment] })[0]
        $Paid.Status | Should -Be 'Paid'
        $Paid.MaskedPan | Should -Be '408306**1818'
        $Paid.Method | Should -Be 'Visa'
        $Paid.ApprovalCode | Should -Not -BeNullOrEmpty
        $Paid.Amount | Should -Be 3000
        $Paid.OrderNumber | Should -Be "F1234567890$($Paid.PeriodStart.ToString('yyyyMMdd'))-2"
        $Paid.PaidUntil | Should -BeGreaterThan ([datetime]::Today)
        ($Registration | Get-EkengCrmRegistration -Pin $Pin).PaidUntil | Should -Be $Paid.PaidUntil
        $text = (& pdftotext -enc UTF-8 $Pdf - | Out-String)
        $text | Should -Match '3 000 AMD'
        $text | Should -Match ([regex]::Escape($Paid.OrderNumber))
        $text | Should -Match 'Վճարման անդորրագիր'
        $text | Should -Match 'Payment receipt'
        $text | Should -Match '408306\*\*1818'
        $Paid.Receipt() | Should -Match ([regex]::Escape($Paid.OrderNumber))
        # Get-EkengFeePayment: one FeePayment per attempt, newest first.
        $list = @($Registration | Get-EkengFeePayment -Pin $Pin)
        $list.Status | Should -Be @('Paid', 'Declined')
        ($list[0] | Format-Table | Out-String -Width 80) | Should -Match '408306\*\*1818'
    }

    It 'a receipt file that exists is refused before anything is sent' {
        $before = (Get-GatewayOrders $Sandbox).Count
        $null = $Registration | Invoke-EkengFeePayment -Pin $Pin -ReceiptPath $Pdf -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'ReceiptExists,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'
        (Get-GatewayOrders $Sandbox).Count | Should -Be $before
    }

    It 'a second run for the paid period creates no order and says it is paid' {
        $before = (Get-GatewayOrders $Sandbox).Count
        $again = $Registration | Invoke-EkengFeePayment -Pin $Pin -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $again.Status | Should -Be 'Paid'
        $again.OrderNumber | Should -Be $Paid.OrderNumber
        ($w -join "`n") | Should -Match "already paid until $($Paid.PaidUntil.ToString('yyyy-MM-dd')); nothing was charged"
        (Get-GatewayOrders $Sandbox).Count | Should -Be $before
    }

    It 'the 3-D Secure card (code 123456) pays the next period with -Force' {
        $payer = Start-Payer $Sandbox $ThreeDs '123456'
        $next = $Registration | Invoke-EkengFeePayment -Pin $Pin -Force -Timeout 00:01:00 -Confirm:$false
        $r = $payer | Receive-Job -Wait -AutoRemoveJob
        $r.Succeeded | Should -BeTrue
        $r.ThreeDSecure | Should -BeTrue
        $next.Status | Should -Be 'Paid'
        $next.PeriodStart | Should -Be $Paid.PaidUntil
        $next.PaidUntil | Should -BeGreaterThan $Paid.PaidUntil
        $next.MaskedPan | Should -Be '400000**3220'
    }

    It 'no card number, CVC2 or PIN in any stream, transcript or log of the module' {
        $text = $Captured.ToString() + (Get-Content -Raw -LiteralPath $Transcript)
        $text | Should -Match 'declined the payment'     # the capture did hold the module's output
        $text | Should -Match 'Paying the annual fee|waiting for the payment|Order F1234567890'
        foreach ($secret in @($Approve, $Decline, $ThreeDs, $PinText, '0013681818', '0000009995')) {
            $text | Should -Not -Match $secret
        }
        $text | Should -Not -Match '(?i)\bcvc2?\b\s*[:=]'
    }

    It 'one session (DESIGN.md §6a): Register-EkengCrm, Get-EkengCard, Invoke-EkengFeePayment; PKCS#11 initialised once, never finalised' {
        $sb = Start-SandboxRig -ClientCa $RigCaPem
        $Sandboxes.Add($sb)
        $registered = Register-Holder $sb
        $registered.Status | Should -Be 'Active'
        $again = Get-EkengCard -Pkcs11Module $Spy | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1
        $again.Tokens.Count | Should -BeGreaterThan 0
        $pending = $again | Invoke-EkengFeePayment -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $Pin -NoWait -Confirm:$false
        $pending.Status | Should -Be 'Pending'
        $pending.PaymentUrl.AbsoluteUri | Should -BeLike "$($sb.Gateway)payment/merchants/ekeng/payment.html?mdOrder=*"
        ($again | Get-EkengFeePayment -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $Pin).OrderNumber | Should -Be $pending.OrderNumber
        $registry = [Ekeng.Payments.FeePayment].Assembly.GetType('Ekeng.Pkcs11.Pkcs11LibraryRegistry')
        $registry.GetProperty('Initialisations', [System.Reflection.BindingFlags]'NonPublic, Static').GetValue($null) | Should -Be 1
        $spyText = Get-Content -Raw -LiteralPath $SpyLog
        $spyText | Should -Match 'C_Sign'
        $spyText | Should -Not -Match 'C_Finalize'
    }

    It 'registers and pays in one step (-PayOnline, 4-digit code): Active without the 6-digit step, period extended' {
        $sb = Start-SandboxRig -ClientCa $RigCaPem
        $Sandboxes.Add($sb)
        $c = @{ CrmUri = $sb.Crm; TrustedCaFile = $sb.CaFile; Pin = $Pin }
        $pending = $Auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -PayOnline @c -Confirm:$false
        $pending.Status | Should -Be 'PendingCode'
        $pending.CodeLength | Should -Be 4
        $sms = (Get-Sms $sb)[0]
        $sms.purpose | Should -Be 'register-and-pay'
        $payer = Start-Payer $sb $Approve
        $done = $pending | Register-EkengCrm -SmsCode (Sec $sms.code) -Pin $Pin -Timeout 00:01:00 -Confirm:$false
        ($payer | Receive-Job -Wait -AutoRemoveJob).Succeeded | Should -BeTrue
        $done | Should -BeOfType ([Ekeng.Crm.CrmRegistration])
        $done.Status | Should -Be 'Active'
        $done.PaidUntil | Should -BeGreaterThan ([datetime]::Today)
        $done.ActivatedAt | Should -Not -BeNullOrEmpty
        @(Get-Sms $sb).Count | Should -Be 1   # no 6-digit code was sent
        (Get-GatewayOrders $sb)[0].orderStatus | Should -Be 2
    }

    It 'the module''s process killed after the order is created: run again, one order at the gateway, paid once' {
        $sb = Start-SandboxRig -ClientCa $RigCaPem
        $Sandboxes.Add($sb)
        $null = Register-Holder $sb
        # A child pwsh reads the card directly (not through this process's spy) and waits for the payment.
        $command = "`$ErrorActionPreference = 'Stop'; Import-Module '$env:EKENG_MODULE_PATH'; " +
            "`$pin = ConvertTo-SecureString `$env:EKENG_TEST_PIN -AsPlainText -Force; `$env:EKENG_TEST_PIN = `$null; " +
            "Get-EkengCard -Pkcs11Module '$($Card.ModulePath)' | Where-Object { `$_.Tokens.Count -gt 0 } | " +
            "Invoke-EkengFeePayment -CrmUri '$($sb.Crm)' -TrustedCaFile '$($sb.CaFile)' -Pin `$pin -Timeout 00:02:00 -Confirm:`$false"
        $hostPath = (Get-Process -Id $PID).Path
        $psi = [System.Diagnostics.ProcessStartInfo]::new($hostPath)
        if ((Split-Path -Leaf $hostPath) -match '^dotnet(\.exe)?$') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command))) { $psi.ArgumentList.Add($a) }
        $psi.Environment['EKENG_TEST_PIN'] = $PinText
        $psi.Environment.Remove('PKCS11SPY'); $psi.Environment.Remove('PKCS11SPY_OUTPUT')
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
        $child = [System.Diagnostics.Process]::Start($psi)
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ((Get-GatewayOrders $sb).Count -eq 0 -and -not $child.HasExited -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            if ($child.HasExited) { throw "The child ended before it was killed: $($child.StandardError.ReadToEnd())" }
            $child.Kill($true)
            $child.WaitForExit(10000) | Should -BeTrue
        }
        finally { if (-not $child.HasExited) { $child.Kill($true) }; $child.Dispose() }
        $first = Get-GatewayOrders $sb
        $first.Count | Should -Be 1
        $payer = Start-Payer $sb $Approve -Known 0
        $paid = $Auth | Invoke-EkengFeePayment -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $Pin -Timeout 00:01:00 -Confirm:$false -WarningAction SilentlyContinue
        ($payer | Receive-Job -Wait -AutoRemoveJob).Succeeded | Should -BeTrue
        $paid.Status | Should -Be 'Paid'
        $paid.OrderNumber | Should -Be $first[0].orderNumber
        $orders = Get-GatewayOrders $sb
        $orders.Count | Should -Be 1
        $orders[0].orderStatus | Should -Be 2
    }
}

Describe 'Invoke-EkengFeePayment input checks (no sandbox needed)' {
    It 'refuses a -Timeout under a second (a bare number would be ticks)' {
        $null = Invoke-EkengFeePayment -Timeout 30 -CrmUri https://127.0.0.1:9/ -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'InvalidTimeout,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'
    }

    It 'a FeePayment fits 80 columns as a table' {
        $p = [Ekeng.Payments.FeePayment]@{ OrderNumber = 'F123456789020261127-12'; Amount = 3000; Status = 'Declined'; ActionCode = 116; MaskedPan = '408306**1818' }
        $lines = ($p | Format-Table | Out-String -Width 200) -split "`n" | Where-Object { $_.Trim() }
        ($lines | Measure-Object -Maximum -Property Length).Maximum | Should -BeLessOrEqual 80
        ($lines -join "`n") | Should -Match 'code 116'
    }
}
