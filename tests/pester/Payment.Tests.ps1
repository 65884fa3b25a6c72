# Invoke-EkengFeePayment, Get-EkengFeePayment and Register-EkengCrm -PayOnline end to end against the REAL sandbox
# (docs/WIRE-CONTRACT.md) over mutual TLS with the SoftHSM card's never-extractable key, the holder's step on the
# gateway's card page done by tests/rigs/CardHolder in headless Chromium (a thread job that waits for the order to
# appear, then fills the page: the card data go to the CardHolder child process only). Skipped with its reason when a
# rig is missing; CI=true fails instead. One card and one PKCS#11 library for the whole file (one per process,
# docs/ARCHITECTURE.md#pkcs11-one-library-per-process); a fresh sandbox (its own data) gives the same holder a fresh state where a scenario needs one.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Command pdftotext -Rig CardLogin, SoftHsm, CardHolder
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ScriptedHost.psm1') -Force
    Import-TestRig SoftHsm, Sandbox, CardHolder -BuiltModule
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
    # The value printed after a field's Armenian label in pdftotext's output (the next non-empty line).
    function script:Get-ReceiptValue([string] $Text, [string] $Label) {
        $lines = @($Text -split "`n" | ForEach-Object { $_.Trim() })
        $at = [array]::IndexOf($lines, $Label)
        if ($at -lt 0) { return $null }
        $lines[($at + 1)..($lines.Count - 1)] | Where-Object { $_ } | Select-Object -First 1
    }
    # A fake browser: an 'xdg-open' first on PATH that records each address it is given (one line each).
    function script:New-BrowserShim([string] $Root) {
        $dir = Join-Path $Root ("shim-" + [guid]::NewGuid().ToString('N').Substring(0, 6))
        New-Item -ItemType Directory -Force $dir | Out-Null
        $log = Join-Path $dir 'launches.txt'
        Set-Content -LiteralPath (Join-Path $dir 'xdg-open') -Value "#!/bin/sh`nprintf '%s\n' `"`$1`" >> '$log'`n"
        & chmod 755 (Join-Path $dir 'xdg-open')
        [pscustomobject]@{ Dir = $dir; Log = $log }
    }
    function script:Register-Holder([object] $Sandbox) {
        $c = @{ CrmUri = $Sandbox.Crm; TrustedCaFile = $Sandbox.CaFile; Pin = $Pin }
        $p = $Auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @c -Confirm:$false
        $p | Confirm-EkengCrmRegistration -SmsCode (Sec (Get-Sms $Sandbox)[0].code) -Pin $Pin -Confirm:$false
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
            $out = $Registration | Invoke-EkengFeePayment -Pin $Pin -Timeout 60 -Confirm:$false -Verbose -Debug -ErrorAction SilentlyContinue -ErrorVariable e *>&1
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
            # -Timeout 600 is 600 seconds: the holder pays seconds later and the command is still waiting (600 ticks
            # would have timed out at once with the order Pending).
            $out = $Registration | Invoke-EkengFeePayment -Pin $Pin -Timeout 600 -ReceiptPath $Pdf -Confirm:$false -Verbose -Debug *>&1
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
        # A year paid: no warning that the paid period ends soon.
        @($out | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and "$_" -match 'paid period' }) | Should -BeNullOrEmpty
        ($Registration | Get-EkengCrmRegistration -Pin $Pin).PaidUntil | Should -Be $Paid.PaidUntil
        $text = (& pdftotext -enc UTF-8 $Pdf - | Out-String)
        $text | Should -Match 'Վճարման անդորրագիր'
        $text | Should -Match 'Payment receipt'
        # Each field's exact value, as the README promises: payer, ՀԾՀ, amount, order, card, date.
        Get-ReceiptValue $text 'Վճարող' | Should -BeExactly $Auth.HolderName
        Get-ReceiptValue $text 'ՀԾՀ' | Should -BeExactly '1234567890'
        Get-ReceiptValue $text 'Գումար' | Should -BeExactly '3 000 AMD'
        Get-ReceiptValue $text 'Պատվերի համար' | Should -BeExactly $Paid.OrderNumber
        Get-ReceiptValue $text 'Քարտ' | Should -BeExactly '408306**1818'
        Get-ReceiptValue $text 'Ամսաթիվ' | Should -BeExactly ($Paid.PaidAt.ToOffset([timespan]'04:00').ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture) + ' (UTC+04:00)')
        $Paid.PaidAt | Should -BeGreaterThan ([datetimeoffset]::UtcNow.AddMinutes(-10))
        $Paid.Receipt() | Should -Match ([regex]::Escape($Paid.OrderNumber))
        # Get-EkengFeePayment: one FeePayment per attempt, newest first.
        $list = @($Registration | Get-EkengFeePayment -Pin $Pin)
        $list.Status | Should -Be @('Paid', 'Declined')
        ($list[0] | Format-Table | Out-String -Width 80) | Should -Match '408306\*\*1818'
        $script:Listed = $list
    }

    It 'Save-EkengFeeReceipt: the listed paid order''s PDF (FileInfo); an existing file kept without -Force, replaced with it; a folder gets <OrderNumber>.pdf; an unpaid order has none' {
        $dir = Join-Path $Card.Root 'receipts'
        $null = New-Item -ItemType Directory -Force -Path $dir
        $file = Join-Path $dir 'reprint.pdf'
        $saved = @($Listed | Where-Object Status -EQ 'Paid' | Save-EkengFeeReceipt -Path $file)
        $saved.Count | Should -Be 1
        $saved[0] | Should -BeOfType ([System.IO.FileInfo])
        $saved[0].FullName | Should -Be $file
        Get-ReceiptValue (& pdftotext -enc UTF-8 $file - | Out-String) 'Պատվերի համար' | Should -BeExactly $Paid.OrderNumber
        # An existing file: refused before anything is written, the file as it was.
        Set-Content -LiteralPath $file -Value 'mine'
        $e = $null
        try { $null = $Listed[0] | Save-EkengFeeReceipt -Path $file } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'ReceiptExists,Ekeng.PowerShell.Commands.SaveEkengFeeReceiptCommand'
        Get-Content -Raw -LiteralPath $file | Should -Be "mine$([Environment]::NewLine)"
        # -WhatIf: said, nothing written.
        $Listed[0] | Save-EkengFeeReceipt -Path $file -Force -WhatIf
        Get-Content -Raw -LiteralPath $file | Should -Be "mine$([Environment]::NewLine)"
        # -Force replaces it, whole.
        $null = $Listed[0] | Save-EkengFeeReceipt -Path $file -Force
        Get-ReceiptValue (& pdftotext -enc UTF-8 $file - | Out-String) 'Պատվերի համար' | Should -BeExactly $Paid.OrderNumber
        # A folder: one <OrderNumber>.pdf per paid order; the declined one is a non-terminating ReceiptNotPaid.
        $null = $Listed | Save-EkengFeeReceipt -Path $dir -ErrorAction SilentlyContinue -ErrorVariable notPaid
        Test-Path -LiteralPath (Join-Path $dir "$($Paid.OrderNumber).pdf") | Should -BeTrue
        $notPaid.Count | Should -Be 1
        $notPaid[0].FullyQualifiedErrorId | Should -Be 'ReceiptNotPaid,Ekeng.PowerShell.Commands.SaveEkengFeeReceiptCommand'
        # No temporary file is left beside the receipts.
        @(Get-ChildItem -LiteralPath $dir -Force).Name | Sort-Object | Should -Be (@('reprint.pdf', "$($Paid.OrderNumber).pdf") | Sort-Object)
    }

    It 'Save-EkengFeeReceipt -Force onto something that is not a regular file (a FIFO): refused, the FIFO untouched, no half-written file left' {
        $dir = Join-Path $Card.Root 'fifo'
        $null = New-Item -ItemType Directory -Force -Path $dir
        $fifo = Join-Path $dir 'receipt.pdf'
        & mkfifo $fifo
        $null = $Paid | Save-EkengFeeReceipt -Path $fifo -Force -ErrorAction SilentlyContinue -ErrorVariable e
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Be 'UnsafeFile,Ekeng.PowerShell.Commands.SaveEkengFeeReceiptCommand'
        (& stat -c '%F' $fifo) | Should -Be 'fifo'
        @(Get-ChildItem -LiteralPath $dir -Force).Name | Should -Be @('receipt.pdf')
    }

    It 'a receipt file that exists is refused before anything is sent; -Force only replaces it (pays nothing)' {
        $before = (Get-GatewayOrders $Sandbox).Count
        Set-Content -LiteralPath $Pdf -Value 'mine'
        $e = $null
        try { $null = $Registration | Invoke-EkengFeePayment -Pin $Pin -ReceiptPath $Pdf -Confirm:$false } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'ReceiptExists,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'
        Get-Content -Raw -LiteralPath $Pdf | Should -Be "mine$([Environment]::NewLine)"
        # -Force on the fee command, through the cmdlet: the paid period's receipt is written over the file; no order.
        $again = $Registration | Invoke-EkengFeePayment -Pin $Pin -ReceiptPath $Pdf -Force -Confirm:$false -WarningAction SilentlyContinue
        $again.Status | Should -Be 'Paid'
        $again.OrderNumber | Should -Be $Paid.OrderNumber
        Get-ReceiptValue (& pdftotext -enc UTF-8 $Pdf - | Out-String) 'Պատվերի համար' | Should -BeExactly $Paid.OrderNumber
        (Get-GatewayOrders $Sandbox).Count | Should -Be $before
    }

    It 'a second run for the paid period creates no order and says it is paid' {
        $before = (Get-GatewayOrders $Sandbox).Count
        $again = $Registration | Invoke-EkengFeePayment -Pin $Pin -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $again.Status | Should -Be 'Paid'
        $again.OrderNumber | Should -Be $Paid.OrderNumber
        ($w -join "`n") | Should -Match "already paid until $($Paid.PaidUntil.ToString('yyyy-MM-dd')); nothing was charged"
        ($w -join "`n") | Should -Match '-NextPeriod pays the next period'
        (Get-GatewayOrders $Sandbox).Count | Should -Be $before
    }

    It '-NextPeriod in a non-interactive session without -Confirm:$false: ConfirmationRequired, no order' {
        $before = (Get-GatewayOrders $Sandbox).Count
        $script:out = $null
        $e = { $script:out = $Registration | Invoke-EkengFeePayment -Pin $Pin -NextPeriod -NoWait } | Should -Throw -PassThru
        $script:out | Should -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -Be 'ConfirmationRequired,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e.ErrorDetails.RecommendedAction | Should -Match '-NextPeriod \.\.\. -Confirm:\$false'
        (Get-GatewayOrders $Sandbox).Count | Should -Be $before
    }

    It 'the 3-D Secure card (code 123456) pays the next period with -NextPeriod -Confirm:$false' {
        $payer = Start-Payer $Sandbox $ThreeDs '123456'
        $next = $Registration | Invoke-EkengFeePayment -Pin $Pin -NextPeriod -Timeout 60 -Confirm:$false
        $r = $payer | Receive-Job -Wait -AutoRemoveJob
        $r.Succeeded | Should -BeTrue
        $r.ThreeDSecure | Should -BeTrue
        $next.Status | Should -Be 'Paid'
        $next.PeriodStart | Should -Be $Paid.PaidUntil
        $next.PaidUntil | Should -BeGreaterThan $Paid.PaidUntil
        $next.MaskedPan | Should -Be '400000**3220'
    }

    It 'the status JSON the module reads and logs (-Debug) shows the card masked only; no PIN in any stream or transcript' {
        # The card numbers did reach the gateway (typed by the rig's browser): what comes back to the module must be
        # masked. Get-EkengFeePayment -Debug logs EKENG's full status JSON of every order.
        $out = $Registration | Get-EkengFeePayment -Pin $Pin -Verbose -Debug *>&1
        $debug = ($out | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message) -join "`n"
        $debug | Should -Match 'EKENG''s answer to GET api/v1/fee/orders: \['
        $debug | Should -Match '"maskedPan":"408306\*\*1818"'
        $debug | Should -Match '"maskedPan":"400000\*\*3220"'
        $objects = @($out | Where-Object { $_ -is [Ekeng.Payments.FeePayment] })
        $objects.Count | Should -BeGreaterThan 2
        $text = $Captured.ToString() + (Get-Content -Raw -LiteralPath $Transcript) + ($out | Out-String) + ($objects | ConvertTo-Json -Depth 3)
        $text | Should -Match 'declined the payment'     # the capture did hold the module's output
        foreach ($secret in @($Approve, $Decline, $ThreeDs, $PinText, '0013681818', '0000009995', '0000003220')) {
            $text | Should -Not -Match $secret
        }
        $text | Should -Not -Match '(?i)\bcvc2?\b\s*[:=]'
        # The gateway's own record, as EKENG polls it: masked too.
        $gateway = (Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/gateway/orders').Body
        $gateway | Should -Match '408306\*\*1818'
        foreach ($pan in @($Approve, $Decline, $ThreeDs)) { $gateway | Should -Not -Match $pan }
    }

    It '-WhatIf spends no PIN try: no C_Login, no login at the sandbox, no SMS, no order (fee and CRM commands, a wrong PIN)' {
        # A fresh process (libp11 keeps a login for the life of a process): its own spy log, the card read through the
        # spy, seven -WhatIf runs with a WRONG PIN, then the control with the right one (which must log in).
        $sb = Start-SandboxRig -ClientCa $RigCaPem
        $Sandboxes.Add($sb)
        $childSpy = Join-Path $Card.Root 'whatif-spy.log'
        $whatIf = Join-Path $Card.Root 'whatif.txt'
        $marker = Join-Path $Card.Root 'whatif-done.txt'
        $command = @"
`$ErrorActionPreference = 'Stop'; Import-Module '$env:EKENG_MODULE_PATH'
`$right = ConvertTo-SecureString `$env:EKENG_TEST_PIN -AsPlainText -Force; `$env:EKENG_TEST_PIN = `$null
`$wrong = ConvertTo-SecureString '99999999' -AsPlainText -Force
`$c = @{ CrmUri = '$($sb.Crm)'; TrustedCaFile = '$($sb.CaFile)'; Pin = `$wrong }
`$reader = Get-EkengCard -Pkcs11Module '$Spy' | Where-Object { `$_.Tokens.Count -gt 0 } | Select-Object -First 1
`$auth = Get-EkengCertificate -Card `$reader -Kind Authentication
Start-Transcript -Path '$whatIf' | Out-Null
`$reader | Invoke-EkengFeePayment @c -WhatIf
`$reader | Invoke-EkengFeePayment @c -NextPeriod -ReceiptPath '$(Join-Path $Card.Root 'w.pdf')' -WhatIf
`$auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @c -WhatIf
`$auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -PayOnline @c -WhatIf
`$auth | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString '482915' -AsPlainText -Force) @c -WhatIf
`$auth | Send-EkengCrmSmsCode @c -WhatIf
Stop-Transcript | Out-Null
Set-Content -LiteralPath '$marker' -Value ([regex]::Matches((Get-Content -Raw -LiteralPath '$childSpy'), 'C_Login')).Count
`$null = `$reader | Get-EkengFeePayment -CrmUri '$($sb.Crm)' -TrustedCaFile '$($sb.CaFile)' -Pin `$right -ErrorAction SilentlyContinue
"@
        $psi = New-PwshStartInfo -ArgumentList ('-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command)))
        $psi.Environment['EKENG_TEST_PIN'] = $PinText
        $psi.Environment['PKCS11SPY'] = $Card.ModulePath
        $psi.Environment['PKCS11SPY_OUTPUT'] = $childSpy
        $child = [System.Diagnostics.Process]::Start($psi)
        $stdout = $child.StandardOutput.ReadToEndAsync(); $stderr = $child.StandardError.ReadToEnd()
        $child.WaitForExit(120000) | Should -BeTrue
        $child.ExitCode | Should -Be 0 -Because $stderr
        # Under -WhatIf: said, not done.
        $said = Get-Content -Raw -LiteralPath $whatIf
        ([regex]::Matches($said, 'What if:')).Count | Should -Be 6
        $said | Should -Match 'Log in with the card and pay the annual fee as EKENG quotes it'
        $said | Should -Match 'for the period after the paid one'
        $said | Should -Match 'Activate the certificate with the SMS code'
        $said | Should -Match 'Send a new SMS code'
        (Get-Content -LiteralPath $marker) | Should -Be '0'
        # The control: the right PIN without -WhatIf logs in, and both counters see it.
        ([regex]::Matches((Get-Content -Raw -LiteralPath $childSpy), 'C_Login')).Count | Should -BeGreaterThan 0
        $logins = @((Invoke-SandboxGet -Sandbox $sb -Path 'sandbox/logins').Body | ConvertFrom-Json)
        # One login: the orders, then the paid period for the warning of a period that ends soon (two requests).
        @($logins.path | Sort-Object) | Should -Be @('/api/v1/fee', '/api/v1/fee/orders')
        @(Get-Sms $sb).Count | Should -Be 0
        @(Get-GatewayOrders $sb).Count | Should -Be 0
        $stdout.Result + $stderr | Should -Not -Match '99999999'
    }

    It 'a non-interactive payment opens no browser and puts the PaymentUrl in the verbose stream; an interactive one opens it once' {
        $sb = Start-SandboxRig -ClientCa $RigCaPem
        $Sandboxes.Add($sb)
        $null = Register-Holder $sb
        $shim = New-BrowserShim $Card.Root
        $savedPath = $env:PATH
        try {
            $env:PATH = "$($shim.Dir):$savedPath"
            $out = $Auth | Invoke-EkengFeePayment -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $Pin -Timeout 2 -Confirm:$false -Verbose -WarningAction SilentlyContinue -WarningVariable late 4>&1
            $pending = @($out | Where-Object { $_ -is [Ekeng.Payments.FeePayment] })[0]
            $pending.Status | Should -Be 'Pending'
            # -Timeout 2 is two seconds (the same unit as -Timeout 600 above).
            ($late -join "`n") | Should -Match "Order $([regex]::Escape($pending.OrderNumber)) is not paid after 2 s"
            ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n" | Should -Match 'still pending after 2 s'
            $verbose = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
            $verbose | Should -Match ('Non-interactive: no browser is opened; the payment is awaited at ' + [regex]::Escape($pending.PaymentUrl.AbsoluteUri))
            Test-Path -LiteralPath $shim.Log | Should -BeFalse

            # An interactive host (scripted): the same order is resumed and its page opened once, through xdg-open.
            $r = Invoke-WithScriptedHost -Variables @{ ModulePath = $env:EKENG_MODULE_PATH; Auth = $Auth; Pin = $Pin; Sb = $sb } -Script @'
Import-Module $ModulePath
$Auth | Invoke-EkengFeePayment -CrmUri $Sb.Crm -TrustedCaFile $Sb.CaFile -Pin $Pin -Timeout 2 -Confirm:$false -WarningAction SilentlyContinue
'@
            $r.Errors | Should -BeNullOrEmpty
            @($r.Output)[0].OrderNumber | Should -Be $pending.OrderNumber
            @(Get-Content -LiteralPath $shim.Log) | Should -Be @($pending.PaymentUrl.AbsoluteUri)
            ($r.Host.ScriptedUI.Written -join "`n") | Should -Match 'payment page is open in your browser'
        }
        finally { $env:PATH = $savedPath }
    }

    It 'one session (one PKCS#11 library per process): Register-EkengCrm, Get-EkengCard, Invoke-EkengFeePayment; PKCS#11 initialised once, never finalised' {
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

    It 'registers and pays (-PayOnline, 4-digit code): Register | Confirm (PendingPayment) | Invoke-EkengFeePayment, then Active without the 6-digit step, period extended' {
        $sb = Start-SandboxRig -ClientCa $RigCaPem
        $Sandboxes.Add($sb)
        $c = @{ CrmUri = $sb.Crm; TrustedCaFile = $sb.CaFile; Pin = $Pin }
        $pending = $Auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -PayOnline @c -Confirm:$false
        $pending.Status | Should -Be 'PendingCode'
        $pending.CodeLength | Should -Be 4
        $sms = (Get-Sms $sb)[0]
        $sms.purpose | Should -Be 'register-and-pay'
        $payer = Start-Payer $sb $Approve
        $confirmed = $pending | Confirm-EkengCrmRegistration -SmsCode (Sec $sms.code) -Pin $Pin -Confirm:$false
        $confirmed | Should -BeOfType ([Ekeng.Crm.CrmRegistration])
        $confirmed.Status | Should -Be 'PendingPayment'
        $paid = $confirmed | Invoke-EkengFeePayment -Pin $Pin -Timeout 60 -Confirm:$false
        ($payer | Receive-Job -Wait -AutoRemoveJob).Succeeded | Should -BeTrue
        $paid | Should -BeOfType ([Ekeng.Payments.FeePayment])
        $paid.Status | Should -Be 'Paid'
        $done = $confirmed | Get-EkengCrmRegistration -Pin $Pin
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
            "Invoke-EkengFeePayment -CrmUri '$($sb.Crm)' -TrustedCaFile '$($sb.CaFile)' -Pin `$pin -Timeout 120 -Confirm:`$false"
        $psi = New-PwshStartInfo -ArgumentList ('-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command)))
        $psi.Environment['EKENG_TEST_PIN'] = $PinText
        $psi.Environment.Remove('PKCS11SPY'); $psi.Environment.Remove('PKCS11SPY_OUTPUT')
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
        $paid = $Auth | Invoke-EkengFeePayment -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $Pin -Timeout 60 -Confirm:$false -WarningAction SilentlyContinue
        ($payer | Receive-Job -Wait -AutoRemoveJob).Succeeded | Should -BeTrue
        $paid.Status | Should -Be 'Paid'
        $paid.OrderNumber | Should -Be $first[0].orderNumber
        $orders = Get-GatewayOrders $sb
        $orders.Count | Should -Be 1
        $orders[0].orderStatus | Should -Be 2
    }

    Context 'The fee commands warn when the paid period ends within 30 days (sandbox --test-controls)' {
        BeforeAll {
            # The sandbox's clock cannot move back, and the module compares PaidUntil with the real time: a test control
            # puts the holder's paid period where each case needs it.
            function script:Set-PaidUntil([object] $Sandbox, [int] $Days) {
                $date = [datetime]::UtcNow.Date.AddDays($Days).ToString('yyyy-MM-dd')
                (Invoke-SandboxGet -Post -Sandbox $Sandbox -Path "sandbox/test/paid-until?publicServiceNumber=1234567890&paidUntil=$date").Status | Should -Be 204
                $date
            }
            function script:Get-FeeWarnings([object[]] $Records) { @($Records | Where-Object { "$_" -match 'The paid period of the card''s fee' } | ForEach-Object { "$_" }) }
            $script:WarnSandbox = Start-SandboxRig -ClientCa $RigCaPem -ExtraArguments '--test-controls'
            $Sandboxes.Add($WarnSandbox)
            $script:WarnRegistration = Register-Holder $WarnSandbox
        }

        It 'ends in 10 days: Invoke-EkengFeePayment (already paid, nothing ordered) and Get-EkengFeePayment write one warning with the date and the days left' {
            $until = Set-PaidUntil $WarnSandbox 10
            $null = $WarnRegistration | Invoke-EkengFeePayment -Pin $Pin -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
            ($w -join "`n") | Should -Match "already paid until $until; nothing was charged"
            $fee = @(Get-FeeWarnings $w)
            $fee.Count | Should -Be 1
            $fee[0] | Should -Match "ends on $until, in (9|10) day\(s\)\. Pay the next period with Invoke-EkengFeePayment -NextPeriod\."
            @(Get-GatewayOrders $WarnSandbox).Count | Should -Be 0
            $null = $WarnRegistration | Get-EkengFeePayment -Pin $Pin -WarningVariable g -WarningAction SilentlyContinue
            $fee = @(Get-FeeWarnings $g)
            $fee.Count | Should -Be 1
            $fee[0] | Should -Match "ends on $until, in (9|10) day\(s\)"
        }

        It 'more than 30 days left: no such warning from either command; lapsed: Get-EkengFeePayment says it ended' {
            $null = Set-PaidUntil $WarnSandbox 45
            $null = $WarnRegistration | Invoke-EkengFeePayment -Pin $Pin -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
            ($w -join "`n") | Should -Match 'already paid until'
            Get-FeeWarnings $w | Should -BeNullOrEmpty
            $null = $WarnRegistration | Get-EkengFeePayment -Pin $Pin -WarningVariable g -WarningAction SilentlyContinue
            Get-FeeWarnings $g | Should -BeNullOrEmpty
            $until = Set-PaidUntil $WarnSandbox -5
            $null = $WarnRegistration | Get-EkengFeePayment -Pin $Pin -WarningVariable l -WarningAction SilentlyContinue
            $fee = @(Get-FeeWarnings $l)
            $fee.Count | Should -Be 1
            $fee[0] | Should -Match "ended on $until\. Pay it with Invoke-EkengFeePayment\."
        }

        It 'a payment whose period ends within 30 days: Paid, then one warning with the new PaidUntil and the days left' {
            # The period paid starts at the lapsed PaidUntil (350 days ago) and runs 12 months: it ends in about 15 days.
            $null = Set-PaidUntil $WarnSandbox -350
            $payer = Start-Payer $WarnSandbox $Approve
            $paid = $WarnRegistration | Invoke-EkengFeePayment -Pin $Pin -Timeout 60 -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
            ($payer | Receive-Job -Wait -AutoRemoveJob).Succeeded | Should -BeTrue
            $paid.Status | Should -Be 'Paid'
            $paid.PaidUntil | Should -BeLessThan ([datetime]::UtcNow.Date.AddDays(30))
            $fee = @(Get-FeeWarnings $w)
            $fee.Count | Should -Be 1
            $fee[0] | Should -Match "ends on $($paid.PaidUntil.ToString('yyyy-MM-dd')), in 1[3-7] day\(s\)"
        }
    }
}

Describe 'Invoke-EkengFeePayment input checks (no sandbox needed)' {
    It '-Timeout is whole seconds, as on Get-EkengCard and Initialize-EkengPin: 0 and a TimeSpan are refused before anything is sent' {
        foreach ($command in 'Invoke-EkengFeePayment', 'Get-EkengCard', 'Initialize-EkengPin') {
            $p = (Get-Command $command).Parameters['Timeout']
            $p.ParameterType | Should -Be ([int]) -Because "$command -Timeout"
            ($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }).MinRange | Should -Be 1 -Because "$command -Timeout"
        }
        $e = $null
        try { $null = Invoke-EkengFeePayment -Timeout 0 -CrmUri https://127.0.0.1:9/ } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'
        $e = $null
        try { $null = Invoke-EkengFeePayment -Timeout '00:05:00' -CrmUri https://127.0.0.1:9/ } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'CannotConvertArgumentNoMessage,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'
    }

    It 'Get-EkengFeePayment only reads: no -WhatIf, -Confirm, -ReceiptPath or -Force; Save-EkengFeeReceipt writes, with -WhatIf and -Confirm' {
        $get = Get-Command Get-EkengFeePayment
        foreach ($name in 'WhatIf', 'Confirm', 'ReceiptPath', 'Force') { $get.Parameters.ContainsKey($name) | Should -BeFalse -Because "-$name" }
        $save = Get-Command Save-EkengFeeReceipt
        foreach ($name in 'WhatIf', 'Confirm', 'Path', 'Force', 'Payment') { $save.Parameters.ContainsKey($name) | Should -BeTrue -Because "-$name" }
        $save.Verb | Should -Be 'Save'
    }

    It 'Save-EkengFeeReceipt asks through the one confirmation helper: a non-interactive session that must confirm gets ConfirmationRequired, nothing written' {
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ("ekeng-save-" + [guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $dir
        try {
            $target = Join-Path $dir 'r.pdf'
            $lines = @(Invoke-ChildPwsh -Command "Import-Module '$env:EKENG_MODULE_PATH'; `$ConfirmPreference = 'Medium'; try { [Ekeng.Payments.FeePayment]@{ OrderNumber = 'F123456789020261127-2'; Amount = 3000; Status = 'Paid' } | Save-EkengFeeReceipt -Path '$target' } catch { 'ID=' + `$_.FullyQualifiedErrorId }")
            ($lines -join "`n") | Should -Not -Match 'Read and Prompt functionality'
            $lines | Should -Contain 'ID=ConfirmationRequired,Ekeng.PowerShell.Commands.SaveEkengFeeReceiptCommand'
            Test-Path -LiteralPath $target | Should -BeFalse
        }
        finally { Remove-Item -Recurse -Force -LiteralPath $dir }
    }

    It 'Save-EkengFeeReceipt: an order that is not Paid has no receipt (ReceiptNotPaid, nothing written); -WhatIf writes nothing' {
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ("ekeng-save-" + [guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $dir
        try {
            $declined = [Ekeng.Payments.FeePayment]@{ OrderNumber = 'F123456789020261127-1'; Amount = 3000; Status = 'Declined'; ActionCode = 116 }
            $null = $declined | Save-EkengFeeReceipt -Path (Join-Path $dir 'r.pdf') -ErrorAction SilentlyContinue -ErrorVariable e
            $e[0].FullyQualifiedErrorId | Should -Be 'ReceiptNotPaid,Ekeng.PowerShell.Commands.SaveEkengFeeReceiptCommand'
            $paid = [Ekeng.Payments.FeePayment]@{ OrderNumber = 'F123456789020261127-2'; Amount = 3000; Status = 'Paid' }
            $paid | Save-EkengFeeReceipt -Path (Join-Path $dir 'r.pdf') -WhatIf
            @(Get-ChildItem -LiteralPath $dir -Force) | Should -BeNullOrEmpty
        }
        finally { Remove-Item -Recurse -Force -LiteralPath $dir }
    }

    It 'a FeePayment fits 80 columns as a table' {
        $p = [Ekeng.Payments.FeePayment]@{ OrderNumber = 'F123456789020261127-12'; Amount = 3000; Status = 'Declined'; ActionCode = 116; MaskedPan = '408306**1818' }
        $lines = ($p | Format-Table | Out-String -Width 200) -split "`n" | Where-Object { $_.Trim() }
        ($lines | Measure-Object -Maximum -Property Length).Maximum | Should -BeLessOrEqual 80
        ($lines -join "`n") | Should -Match 'code 116'
    }
}
