# The real EKENG, honestly. With no service named (-CrmUri, EKENG_CRM_URI) the registration and fee commands serve
# crm.ekeng.am as it is: they check the card (no PIN), name the real page and the manual's remaining steps, and send
# nothing anywhere. A named service is used only after it says, with no card login, that it speaks the modelled API.
# Real parts: a SoftHSM card read through OpenSC's pkcs11-spy (the C_Login count), the sandbox (its gateway listener as
# "another HTTPS server that does not speak the API"), a loopback proxy that records every connection the commands
# attempt (HTTPS_PROXY in a child process: .NET reads it once per process).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Rig CardLogin, SoftHsm
}

BeforeAll {
    Import-TestRig SoftHsm, Sandbox -BuiltModule
    $script:PukText = '86420975'
    $script:PinText = '73915284'
    $script:WrongPinText = '31415926'
    $script:SpyPath = @('/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
    $script:Rigs = (Resolve-Path (Join-Path $PSScriptRoot '../rigs')).Path
    $script:Helpers = (Resolve-Path (Join-Path $PSScriptRoot 'TestHelpers.psm1')).Path

    # The child's script: a card read through the spy, both PINs activated, a Firefox profile that loads the card's
    # library (so the browser check passes), then $Body with $c (the card), $spyLog and Sec in scope.
    function script:New-CardScript([string] $Body, [string] $Home2, [hashtable] $Environment = @{}) {
        $envLines = ($Environment.GetEnumerator() | ForEach-Object { "`$env:$($_.Key) = '$($_.Value)'" }) -join "`n"
        @"
`$ErrorActionPreference = 'Stop'
`$profileDir = Join-Path '$Home2' '.mozilla/firefox/p1.default'
New-Item -ItemType Directory -Force `$profileDir | Out-Null
Set-Content -LiteralPath (Join-Path '$Home2' '.mozilla/firefox/profiles.ini') -Value "[Profile0]``nName=default``nIsRelative=1``nPath=p1.default``nDefault=1``n"
`$env:HOME = '$Home2'
Remove-Item Env:EKENG_CRM_URI, Env:EKENG_CA_FILE -ErrorAction Ignore
Import-Module '$Helpers'; Import-TestRig SoftHsm; Import-Module '$env:EKENG_MODULE_PATH'
`$card = New-SoftHsmCard -Puk (Sec '$PukText') -PublicServiceNumber '3456789012'
`$spyLog = Join-Path `$card.Root 'spy.log'
Set-NativeEnvironment 'PKCS11SPY' `$card.ModulePath
Set-NativeEnvironment 'PKCS11SPY_OUTPUT' `$spyLog
function Get-LoginCount { @(Select-String -LiteralPath `$spyLog -Pattern 'C_Login' -SimpleMatch -ErrorAction Ignore).Count }
try {
    `$c = Get-EkengCard -Pkcs11Module '$SpyPath' | Where-Object { `$_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk (Sec '$PukText') -Pin (Sec '$PinText') -Confirm:`$false
    $envLines
$Body
}
finally { Remove-SoftHsmCard }
"@
    }

    function script:Get-Result([object[]] $Lines, [string] $Name) {
        $line = @($Lines | ForEach-Object { "$_" } | Where-Object { $_ -like "$Name=*" }) | Select-Object -Last 1
        if (-not $line) { throw "The child printed no $Name line:`n$($Lines -join "`n")" }
        $line.Substring($Name.Length + 1) | ConvertFrom-Json
    }
}

Describe 'No service named: the real crm.ekeng.am, guided' -Skip:([bool]$Skip) {
    BeforeAll {
        # A proxy that records: every HTTP(S) connection the child attempts goes to this listener, which never answers.
        $script:Proxy = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $Proxy.Start()
        $script:ProxyUri = "http://127.0.0.1:$($Proxy.LocalEndpoint.Port)"
        $script:Home2 = Join-Path ([IO.Path]::GetTempPath()) "ekeng-portal-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    }
    AfterAll {
        $Proxy.Stop()
        Remove-Item -Recurse -Force -LiteralPath $Home2 -ErrorAction Ignore
    }

    It 'each of the four commands connects nowhere, spends no PIN try, and names the real page and the steps left' {
        $body = @'
    Set-FirefoxCryptoModule -Path $c.Pkcs11Module -Confirm:$false | Out-Null
    $before = Get-LoginCount
    $wrong = Sec '__WRONG__'
    $results = [ordered]@{}
    foreach ($call in @(
            @{ Name = 'Register'; Run = { $c | Register-EkengCrm -Pin $wrong -Verbose 4>&1 } },
            @{ Name = 'RegisterAndPay'; Run = { $c | Register-EkengCrm -PayOnline -Pin $wrong -Verbose 4>&1 } },
            @{ Name = 'Registration'; Run = { $c | Get-EkengCrmRegistration -Pin $wrong -Verbose 4>&1 } },
            @{ Name = 'Pay'; Run = { $c | Invoke-EkengFeePayment -Pin $wrong -Verbose 4>&1 } },
            @{ Name = 'Payments'; Run = { $c | Get-EkengFeePayment -Pin $wrong -Verbose 4>&1 } })) {
        $all = & $call.Run
        $guide = @($all | Where-Object { $_ -is [Ekeng.Portal.PortalGuide] })
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $results[$call.Name] = @{
            Count = $guide.Count; Procedure = "$($guide[0].Procedure)"; Uri = "$($guide[0].Uri)"; Info = "$($guide[0].InfoUri)"
            Ready = $guide[0].Ready; Opened = $guide[0].Opened; Steps = @($guide[0].Steps); Language = "$($guide[0].Language)"
            Checks = @($guide[0].Checks | ForEach-Object { "$($_.Name)=$($_.Status)" }); Verbose = $verbose
        }
    }
    $results['LoginsSpent'] = (Get-LoginCount) - $before
    'RESULT=' + ($results | ConvertTo-Json -Depth 5 -Compress)
'@ -replace '__WRONG__', $WrongPinText
        $out = Invoke-ChildPwsh -Command (New-CardScript -Body $body -Home2 $Home2 -Environment @{ HTTPS_PROXY = $ProxyUri; HTTP_PROXY = $ProxyUri; ALL_PROXY = $ProxyUri })
        $r = Get-Result $out 'RESULT'

        $Proxy.Pending() | Should -BeFalse -Because 'no command may connect anywhere with no service named'
        $r.LoginsSpent | Should -Be 0
        ($out -join "`n") | Should -Not -Match $WrongPinText
        $expected = @{ Register = 'Registration'; RegisterAndPay = 'RegisterAndPay'; Registration = 'RegistrationStatus'; Pay = 'FeePayment'; Payments = 'PaymentStatus' }
        foreach ($name in $expected.Keys) {
            $g = $r.$name
            $g.Count | Should -Be 1 -Because $name
            $g.Procedure | Should -Be $expected[$name]
            $g.Uri | Should -Be 'https://crm.ekeng.am/'
            $g.Ready | Should -BeTrue -Because "$name $($g.Checks -join ', ')"
            $g.Opened | Should -BeFalse -Because 'a non-interactive session opens no browser'
            $g.Language | Should -Be 'En'
            $g.Steps[0] | Should -Match 'https://crm\.ekeng\.am/.*AuthPIN'
            $g.Checks | Should -Contain 'AuthPIN=Pass'
            $g.Checks | Should -Contain 'SignPIN=Pass'
            $g.Checks | Should -Contain 'Certificate=Pass'
            $g.Checks | Should -Contain 'Browser=Pass'
            ($g.Verbose -join "`n") | Should -Match 'Nothing was sent and no PIN was used'
        }
        $r.Register.Steps -join ' ' | Should -Match 'Activate the certificate'
        $r.Register.Steps -join ' ' | Should -Match '3 to 5 hours'
        $r.RegisterAndPay.Steps -join ' ' | Should -Match '4-digit code'
        $r.Pay.Steps -join ' ' | Should -Match 'ArCa, Visa or MasterCard'
        $r.Pay.Info | Should -Be 'https://www.ekeng.am/hy/howtopay'
        ($r.Register.Verbose -join "`n") | Should -Match 'Hand this address to the holder: https://crm\.ekeng\.am/'
        ($r.Pay.Verbose -join "`n") | Should -Match 'Hand this address to the holder: https://crm\.ekeng\.am/'
    }

    It 'the proxy sees a command that does connect: a named service is asked through it (the control)' {
        $body = "    `$c | Get-EkengCrmRegistration -CrmUri https://crm.example.invalid/ -Pin (Sec '$PinText') -ErrorAction SilentlyContinue"
        $file = Join-Path ([IO.Path]::GetTempPath()) "ekeng-portal-control-$PID.ps1"
        Set-Content -LiteralPath $file -Value (New-CardScript -Body $body -Home2 $Home2) -Encoding utf8BOM
        $psi = New-PwshStartInfo -ArgumentList '-File', $file
        $psi.Environment['HTTPS_PROXY'] = $ProxyUri
        $child = [System.Diagnostics.Process]::Start($psi)
        $stdout = $child.StandardOutput.ReadToEndAsync()
        $stderr = $child.StandardError.ReadToEndAsync()
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(120)
            while (-not $Proxy.Pending() -and -not $child.HasExited -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $Proxy.Pending() | Should -BeTrue -Because "the child said: $(if ($child.HasExited) { $stdout.Result + $stderr.Result })"
            $client = $Proxy.AcceptTcpClient()
            $reader = [System.IO.StreamReader]::new($client.GetStream())
            $reader.ReadLine() | Should -Match '^CONNECT crm\.example\.invalid:443 '
            $answer = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 502 Bad Gateway`r`nContent-Length: 0`r`nConnection: close`r`n`r`n")
            $client.GetStream().Write($answer, 0, $answer.Length)
            $client.Dispose()
            $Proxy.Stop()   # any further attempt is refused at once (the last test of the proxy)
        }
        finally {
            if (-not $child.WaitForExit(60000)) { $child.Kill($true) }
            Remove-Item -LiteralPath $file -ErrorAction Ignore
        }
    }

    It 'the guide follows $PSUICulture (hy-AM: Armenian) and -Language' {
        $body = @'
    [System.Globalization.CultureInfo]::CurrentUICulture = 'hy-AM'
    $hy = $c | Get-EkengCrmRegistration
    [System.Globalization.CultureInfo]::CurrentUICulture = 'en-US'
    $en = $c | Get-EkengCrmRegistration
    $chosen = $c | Get-EkengFeePayment -Language hy
    $view = $en | Out-String -Width 200
    'RESULT=' + (@{ Hy = @($hy.Steps); HyLanguage = "$($hy.Language)"; En = @($en.Steps); Chosen = "$($chosen.Language)"; ChosenSteps = @($chosen.Steps); View = $view } | ConvertTo-Json -Compress)
'@
        $r = Get-Result (Invoke-ChildPwsh -Command (New-CardScript -Body $body -Home2 $Home2)) 'RESULT'
        $r.HyLanguage | Should -Be 'Hy'
        $r.Hy[0] | Should -Match 'մուտք գործեք քարտով'
        $r.Hy.Count | Should -Be $r.En.Count
        $r.En[0] | Should -Match 'log in with the card'
        $r.Chosen | Should -Be 'Hy'
        ($r.ChosenSteps -join ' ') | Should -Match 'անդորրագրերը'
        # The default view, as README shows it: the holder, the page, the checks and the steps numbered.
        $r.View | Should -Match 'Procedure : RegistrationStatus'
        $r.View | Should -Match 'Holder    : ARMEN SARGSYAN \(ՀԾՀ 3456789012\)'
        $r.View | Should -Match 'Uri       : https://crm\.ekeng\.am/'
        $r.View | Should -Match 'Pass: AuthPIN, activated'
        $r.View | Should -Match '1\. With the card in the reader, open https://crm\.ekeng\.am/'
        $r.View | Should -Match '2\. The portal shows'
    }

    It 'a card that is not ready is said, with the remedy, and the page is not opened' {
        $body = @'
    Remove-Item -Recurse -Force -LiteralPath (Join-Path $env:HOME '.mozilla') -ErrorAction Ignore
    $g = $c | Register-EkengCrm -WarningVariable w -WarningAction SilentlyContinue
    'RESULT=' + (@{ Ready = $g.Ready; Browser = "$(($g.Checks | Where-Object Name -eq 'Browser').Status)"; Remedy = "$(($g.Checks | Where-Object Name -eq 'Browser').Remedy)"; Warnings = @($w | ForEach-Object Message) } | ConvertTo-Json -Compress)
'@
        $r = Get-Result (Invoke-ChildPwsh -Command (New-CardScript -Body $body -Home2 $Home2)) 'RESULT'
        $r.Ready | Should -BeFalse
        $r.Browser | Should -Be 'Fail'
        $r.Remedy | Should -Match '^Set-FirefoxCryptoModule'
        ($r.Warnings -join "`n") | Should -Match 'Browser: no Firefox profile or policy loads'
        ($r.Warnings -join "`n") | Should -Match 'was not opened'
    }

    It 'Initialize-EkengPin ends with the manual''s next step; -Wait on a card with no reader to watch says so' {
        $out = Invoke-ChildPwsh -Command @"
Import-Module (Join-Path '$Rigs' 'SoftHsmRig.psm1'); Import-Module '$env:EKENG_MODULE_PATH'
function Sec([string] `$t) { ConvertTo-SecureString -String `$t -AsPlainText -Force }
`$card = New-SoftHsmCard -Puk (Sec '$PukText')
try {
    `$all = Get-EkengCard -Pkcs11Module `$card.ModulePath | Where-Object { `$_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk (Sec '$PukText') -Pin (Sec '$PinText') -PinKind Auth -Confirm:`$false 6>&1
    'INFO=' + ((@(`$all | Where-Object { `$_ -is [System.Management.Automation.InformationRecord] }) | ForEach-Object { "`$(`$_.MessageData)" }) -join ' | ')
    'CARD=' + @(`$all | Where-Object { `$_ -is [Ekeng.Cards.EkengCard] }).Count
    `$w = `$null
    `$waited = Get-EkengCard -Pkcs11Module `$card.ModulePath | Where-Object { `$_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk (Sec '$PukText') -Pin (Sec '$PinText') -PinKind Sign -Wait -Timeout 5 -Confirm:`$false -WarningVariable w -WarningAction SilentlyContinue 6>`$null
    'WARN=' + ((@(`$w) | ForEach-Object Message) -join ' | ')
    'WAITED=' + `$waited.SignPin.State
}
finally { Remove-SoftHsmCard }
"@
        $text = $out -join "`n"
        $text | Should -Match 'INFO=ARMID \(AuthPIN\) activated\. Now remove the card from the reader and insert it again, so that the system sees its certificates \(Initialize-EkengPin -Wait waits for that\)\.'
        $text | Should -Match 'CARD=1'
        $text | Should -Match 'WARN=ARMID \(SignPIN\) activated\. The card .* was read through PKCS#11 alone, with no reader to watch: remove it and insert it again yourself\.'
        $text | Should -Match 'WAITED=Ready'
    }

    It 'parameters that only a service takes end the command before anything is read or sent' {
        $cases = @(
            @{ Command = { Register-EkengCrm -PhoneNumber '091 234567' -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.RegisterEkengCrmCommand'; Names = '-PhoneNumber' },
            @{ Command = { Register-EkengCrm -Portal -AcceptTerms -CrmUri https://127.0.0.1:9/ -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.RegisterEkengCrmCommand'; Names = '-AcceptTerms' },
            @{ Command = { Confirm-EkengCrmRegistration -SmsCode (Sec '123456') -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.ConfirmEkengCrmRegistrationCommand'; Names = '-SmsCode' },
            @{ Command = { Confirm-EkengCrmRegistration -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.ConfirmEkengCrmRegistrationCommand'; Names = 'Confirm-EkengCrmRegistration' },
            @{ Command = { Send-EkengCrmSmsCode -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.SendEkengCrmSmsCodeCommand'; Names = 'Send-EkengCrmSmsCode' },
            @{ Command = { Invoke-EkengFeePayment -ReceiptPath ./r.pdf -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.InvokeEkengFeePaymentCommand'; Names = '-ReceiptPath' },
            @{ Command = { Get-EkengFeePayment -OrderNumber F1 -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.GetEkengFeePaymentCommand'; Names = '-OrderNumber' },
            @{ Command = { Get-EkengCrmTerms -ErrorAction Stop }; ErrorId = 'ServiceParameterWithoutService,Ekeng.PowerShell.Commands.GetEkengCrmTermsCommand'; Names = 'Get-EkengCrmTerms' })
        $saved = $env:EKENG_CRM_URI
        try {
            $env:EKENG_CRM_URI = $null
            foreach ($case in $cases) {
                $err = $null
                try { & $case.Command } catch { $err = $_ }
                $err.FullyQualifiedErrorId | Should -Be $case.ErrorId
                $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $err.Exception.Message | Should -Match ([regex]::Escape($case.Names))
                $err.Exception.Message | Should -Match 'Nothing was sent'
            }
        }
        finally { $env:EKENG_CRM_URI = $saved }
    }
}

Describe 'A named service is used only after it proves it speaks the modelled API' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Card = New-SoftHsmCard -Puk (Sec $PukText) -PublicServiceNumber '4567890123'
        $script:SpyLog = Join-Path $Card.Root 'pkcs11-spy.log'
        Set-NativeEnvironment 'PKCS11SPY' $Card.ModulePath
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $SpyLog
        $script:C = Get-EkengCard -Pkcs11Module $SpyPath | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1 |
            Initialize-EkengPin -Puk (Sec $PukText) -Pin (Sec $PinText) -Confirm:$false
        $script:Sandbox = Start-SandboxRig -ClientCa $Card.CaPem
        function script:Get-LoginCount { @(Select-String -LiteralPath $SpyLog -Pattern 'C_Login' -SimpleMatch -ErrorAction Ignore).Count }
    }
    AfterAll {
        if (Get-Variable Sandbox -Scope Script -ErrorAction Ignore) { $Sandbox | Stop-SandboxRig }
        Set-NativeEnvironment 'PKCS11SPY' $null
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $null
        Remove-SoftHsmCard
    }

    It 'another HTTPS server (404 for the contract document): CrmContractNotSpoken from each command, zero C_Login, no PIN asked' {
        # The sandbox's gateway listener: a real HTTPS server on this machine that speaks another API.
        $other = @{ CrmUri = $Sandbox.Gateway; TrustedCaFile = $Sandbox.CaFile; Pin = (Sec $PinText); ErrorAction = 'Continue' }
        $before = Get-LoginCount
        foreach ($run in @(
                @{ Class = 'RegisterEkengCrmCommand'; Run = { $C | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -Confirm:$false @other } },
                @{ Class = 'GetEkengCrmRegistrationCommand'; Run = { $C | Get-EkengCrmRegistration @other } },
                @{ Class = 'InvokeEkengFeePaymentCommand'; Run = { $C | Invoke-EkengFeePayment -NoWait -Confirm:$false @other } },
                @{ Class = 'GetEkengFeePaymentCommand'; Run = { $C | Get-EkengFeePayment @other } },
                @{ Class = 'ConfirmEkengCrmRegistrationCommand'; Run = { $C | Confirm-EkengCrmRegistration -SmsCode (Sec '482915') -Confirm:$false @other } },
                @{ Class = 'SendEkengCrmSmsCodeCommand'; Run = { $C | Send-EkengCrmSmsCode -Confirm:$false @other } },
                @{ Class = 'GetEkengCrmTermsCommand'; Run = { $C | Get-EkengCrmTerms @other } })) {
            # An environment failure: it ends the command (a terminating error, caught here).
            $all = try { & $run.Run 2>&1 } catch { $_ }
            $e = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
            $e.Count | Should -Be 1
            $e[0].FullyQualifiedErrorId | Should -Be "CrmContractNotSpoken,Ekeng.PowerShell.Commands.$($run.Class)"
            $e[0].CategoryInfo.Category | Should -Be 'ProtocolError'
            $e[0].Exception.Message | Should -Match 'no PIN was used'
        }
        (Get-LoginCount) - $before | Should -Be 0
        # Nothing reached the gateway's API as a login either: the sandbox saw no card login at all.
        @((Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/logins').Body | ConvertFrom-Json).Count | Should -Be 0
    }

    It 'the sandbox names the contract without a client certificate, and then the card login happens (the control)' {
        $doc = Invoke-RestMethod -Uri ($Sandbox.Crm + '.well-known/ekeng-contract') -SkipCertificateCheck
        $doc.contract | Should -Be 'ekeng-powershell-crm'
        $doc.version | Should -Match '^1\.'
        $before = Get-LoginCount
        $r = $C | Get-EkengCrmRegistration -CrmUri $Sandbox.Crm -TrustedCaFile $Sandbox.CaFile -Pin (Sec $PinText) -Verbose 4>&1
        @($r | Where-Object { $_ -is [Ekeng.Crm.CrmRegistration] }).Count | Should -Be 1
        (@($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'speaks the modelled API ekeng-powershell-crm 1\.'
        (Get-LoginCount) - $before | Should -Be 1
    }
}

Describe 'The guide''s words in Armenian and English' {
    It 'about_Ekeng is in Armenian where $PSUICulture is hy-AM, and names every cmdlet the English one names' {
        $out = Invoke-ChildPwsh -Command @"
Import-Module '$env:EKENG_MODULE_PATH'
[System.Globalization.CultureInfo]::CurrentUICulture = 'hy-AM'
'HY=' + ((Get-Help about_Ekeng | Out-String) -replace '\s+', ' ')
[System.Globalization.CultureInfo]::CurrentUICulture = 'en-US'
'EN=' + ((Get-Help about_Ekeng | Out-String) -replace '\s+', ' ')
"@
        $hy = (@($out) | Where-Object { "$_" -like 'HY=*' }) -join ''
        $en = (@($out) | Where-Object { "$_" -like 'EN=*' }) -join ''
        $hy | Should -Match 'նույնականացման քարտը'
        $hy | Should -Match 'ԷԿԵՆԳ-ի պաշտոնական արտադրանք չէ'
        $en | Should -Match 'Not an official EKENG product'
        $en | Should -Not -Match 'նույնականացման'
        $module = Get-Module Ekeng
        foreach ($name in $module.ExportedCmdlets.Keys) {
            $en | Should -Match ([regex]::Escape($name)) -Because "about_Ekeng (en-US) must name $name"
            $hy | Should -Match ([regex]::Escape($name)) -Because "about_Ekeng (hy-AM) must name $name"
        }
    }
}
