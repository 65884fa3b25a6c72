# Register-EkengCrm / Get-EkengCrmRegistration end to end against the REAL sandbox (tests/rigs/SandboxRig.psm1,
# docs/WIRE-CONTRACT.md) over mutual TLS with the SoftHSM card's never-extractable key (OpenSSL's pkcs11 engine),
# watched by OpenSC's pkcs11-spy. Skipped with its reason when the sandbox is not built; CI=true fails instead.
# One card and one engine for the whole file: libp11 binds one PKCS#11 library per process and keeps it initialised
# (docs/ARCHITECTURE.md#pkcs11-one-library-per-process), so certificates are read once, before the first login, and piped from there.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Rig CardLogin, SoftHsm
}

BeforeAll {
    Import-TestRig SoftHsm, Sandbox -BuiltModule
    # 8+ digit test secrets that no other output (serials, numbers, dates, thumbprints) contains by chance.
    $script:PukText = '86420975'
    $script:PinText = '73915284'
    $script:Phone = '+37491234567'
    function script:Get-Sms([object] $Sandbox, [string] $Number = $Phone) {
        $r = Invoke-SandboxGet -Sandbox $Sandbox -Path "sandbox/sms?phone=$([uri]::EscapeDataString($Number))"
        @($r.Body | ConvertFrom-Json)
    }
    function script:Get-Logins([object] $Sandbox) { @((Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/logins').Body | ConvertFrom-Json) }
}

Describe 'Register-EkengCrm against the sandbox over mutual TLS with the token key' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Card = New-SoftHsmCard -Puk (Sec $PukText) -PublicServiceNumber '1234567890'
        $script:RigCaPem = $Card.CaPem
        # The spy between the engine and SoftHSM: its log shows what the token was asked.
        $script:SpyLog = Join-Path $Card.Root 'pkcs11-spy.log'
        $spy = @('/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
        Set-NativeEnvironment 'PKCS11SPY' $Card.ModulePath
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $SpyLog
        # The card is read through the spy, so its certificate names the spy as its library: the engine loads it too.
        $ekengCard = Get-EkengCard -Pkcs11Module $spy | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1
        $ekengCard = $ekengCard | Initialize-EkengPin -Puk (Sec $PukText) -Pin (Sec $PinText) -Confirm:$false
        $script:Auth = Get-EkengCertificate -Card $ekengCard -Kind Authentication
        $Auth.Token.ModulePath | Should -Be $spy
        $script:Pin = Sec $PinText
        $script:Sandbox = Start-SandboxRig -ClientCa $RigCaPem
        $script:Common = @{ CrmUri = $Sandbox.Crm; TrustedCaFile = $Sandbox.CaFile; Pin = $Pin }
    }
    AfterAll {
        if (Get-Variable Sandbox -Scope Script -ErrorAction Ignore) { $Sandbox | Stop-SandboxRig }
        Set-NativeEnvironment 'PKCS11SPY' $null
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $null
        Remove-SoftHsmCard
    }

    It 'registers in two calls (code from the outbox), the sandbox sees the card''s auth certificate, the token signs' {
        $pending = $Auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @Common -Confirm:$false
        $pending.Status | Should -Be 'PendingCode'
        $pending.Phone | Should -Be '+374******67'
        $pending.CodeLength | Should -Be 6
        $code = (Get-Sms $Sandbox)[0].code
        $done = $pending | Confirm-EkengCrmRegistration -SmsCode (Sec $code) -Pin $Pin -Confirm:$false
        @($done).Count | Should -Be 1
        $done | Should -BeOfType ([Ekeng.Crm.CrmRegistration])
        $done.Status | Should -Be 'Active'
        $done.HolderName | Should -Be 'ARMEN SARGSYAN'
        $done.PublicServiceNumber | Should -Be '1234567890'
        $done.UsableFrom | Should -BeGreaterThan $done.ActivatedAt
        (Get-Logins $Sandbox)[0].thumbprint | Should -Be $Auth.Thumbprint
        $spyText = Get-Content -Raw -LiteralPath $SpyLog
        $spyText | Should -Match 'C_Sign'
        $spyText | Should -Not -Match 'CKA_PRIVATE_EXPONENT|CKA_PRIME_1|CKA_PRIME_2|CKA_COEFFICIENT'
        ($Auth | Get-EkengCrmRegistration @Common).Status | Should -Be 'Active'
        # Already registered: the registration, not an error.
        ($Auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @Common -Confirm:$false).Status | Should -Be 'Active'
        # Confirming again: the registration as it is, no code sent; resending: nothing to resend.
        ($done | Confirm-EkengCrmRegistration -SmsCode (Sec '000000') -Pin $Pin -Confirm:$false).Status | Should -Be 'Active'
        ($done | Send-EkengCrmSmsCode -Pin $Pin -Confirm:$false).Status | Should -Be 'Active'
        @(Get-Sms $Sandbox).Count | Should -Be 1
    }

    It 'Get-EkengCrmTerms: the terms that -AcceptTerms accepts, one CrmTerms' {
        $terms = @($Auth | Get-EkengCrmTerms @Common)
        $terms.Count | Should -Be 1
        $terms[0] | Should -BeOfType ([Ekeng.Crm.CrmTerms])
        $terms[0].Version | Should -Not -BeNullOrEmpty
        $terms[0].Text | Should -Not -BeNullOrEmpty
        ($Auth | Get-EkengCrmRegistration @Common).TermsVersion | Should -Be $terms[0].Version
    }

    It 'EKENG_CA_FILE counts when the service is named too (EKENG_CRM_URI or -CrmUri); without it the sandbox is untrusted' {
        $savedCa = $env:EKENG_CA_FILE; $savedUri = $env:EKENG_CRM_URI
        try {
            $env:EKENG_CA_FILE = $Sandbox.CaFile
            $env:EKENG_CRM_URI = $Sandbox.Crm
            $r = $Auth | Get-EkengCrmRegistration -Pin $Pin -WarningVariable w
            $r.Status | Should -Be 'Active'
            $r.TrustedCaFile | Should -Be $Sandbox.CaFile      # remembered for the next command in the pipeline
            $w | Should -BeNullOrEmpty
            $env:EKENG_CRM_URI = $null
            ($Auth | Get-EkengCrmRegistration -CrmUri $Sandbox.Crm -Pin $Pin).Status | Should -Be 'Active'
            # The control: no CA named, the system's roots decide, and they do not know the sandbox's CA.
            $env:EKENG_CA_FILE = $null
            # An environment failure (the named service is not trusted): it ends the command, a try/catch catches it.
            $e = $null
            try { $null = $Auth | Get-EkengCrmRegistration -CrmUri $Sandbox.Crm -Pin $Pin } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'ServerCertificateUntrusted,Ekeng.PowerShell.Commands.GetEkengCrmRegistrationCommand'
            # (With no service named, EKENG_CA_FILE is left out for crm.ekeng.am: ServerTrustScopeTests, without traffic there.)
        }
        finally { $env:EKENG_CA_FILE = $savedCa; $env:EKENG_CRM_URI = $savedUri }
    }
}

Describe 'SMS codes: wrong ones, resend, restart, refusals, secrets' -Skip:([bool]$Skip) {
    BeforeAll {
        # A second holder on the same token set would need a second card (one engine per process): these run in a
        # child pwsh each, with their own card and sandbox data, through one script.
        $script:Child = {
            param($Module, $Rigs, $Scenario)
            $ErrorActionPreference = 'Stop'
            Import-Module (Join-Path $Rigs 'SoftHsmRig.psm1'); Import-Module (Join-Path $Rigs 'SandboxRig.psm1'); Import-Module $Module
            function Sec([string] $t) { ConvertTo-SecureString -String $t -AsPlainText -Force }
            $card = New-SoftHsmCard -Puk (Sec '86420975') -PublicServiceNumber '2345678901'
            $pem = $card.CaPem
            $c = Get-EkengCard -Pkcs11Module $card.ModulePath | Where-Object { $_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk (Sec '86420975') -Pin (Sec '73915284') -Confirm:$false
            $auth = Get-EkengCertificate -Card $c -Kind Authentication
            # Resend without the 30 s wait: the rate limit itself is covered by the sandbox's own tests.
            $sb = Start-SandboxRig -ClientCa $pem -ExtraArguments '--resend-interval', '00:00:00'
            try { & $Scenario $auth $sb $pem (Sec '73915284') } finally { $sb | Stop-SandboxRig; Remove-SoftHsmCard }
        }
        function script:Invoke-Scenario([scriptblock] $Scenario) {
            $rigs = (Resolve-Path (Join-Path $PSScriptRoot '../rigs')).Path
            $cmd = "& { $Child } '$env:EKENG_MODULE_PATH' '$rigs' { $Scenario }"
            Invoke-ChildPwsh -Command $cmd
        }
    }

    It 'resend: a second SMS, the old code refused before any wrong try; three wrong codes void the new one; the next resend works' {
        $out = Invoke-Scenario {
            param($auth, $sb, $pem, $pin)
            $common = @{ CrmUri = $sb.Crm; TrustedCaFile = $sb.CaFile; Pin = $pin }
            $p = $auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @common -Confirm:$false
            $old = ((Invoke-SandboxGet $sb "sandbox/sms?phone=%2B37491234567").Body | ConvertFrom-Json)[0].code
            $r = $p | Send-EkengCrmSmsCode -Pin $pin -Confirm:$false
            $sms = @((Invoke-SandboxGet $sb "sandbox/sms?phone=%2B37491234567").Body | ConvertFrom-Json)
            "SMS=$($sms.Count) DIFFERENT=$($sms[0].code -ne $old)"
            $null = $r | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString $old -AsPlainText -Force) -Pin $pin -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e2
            "OLD=$($e2[0].FullyQualifiedErrorId.Split(',')[0])"
            $wrong = if ($sms[0].code -eq '000000') { '111111' } else { '000000' }
            $ids = foreach ($i in 1..3) { $null = $r | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString $wrong -AsPlainText -Force) -Pin $pin -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e; $e[0].FullyQualifiedErrorId.Split(',')[0] }
            "IDS=$($ids -join ';')"
            "STATUS=$(($auth | Get-EkengCrmRegistration @common).Status)"
            $r2 = $r | Send-EkengCrmSmsCode -Pin $pin -Confirm:$false
            $new = ((Invoke-SandboxGet $sb "sandbox/sms?phone=%2B37491234567").Body | ConvertFrom-Json)[0].code
            "NEW=$(($r2 | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString $new -AsPlainText -Force) -Pin $pin -Confirm:$false).Status)"
        }
        $text = $out -join "`n"
        $text | Should -Match 'SMS=2 DIFFERENT=True'
        $text | Should -Match 'OLD=SmsCodeVoided'   # refused as replaced, while the new code still had all its tries
        $text | Should -Match 'IDS=SmsCodeIncorrect;SmsCodeIncorrect;SmsCode(Incorrect|Voided)'
        $text | Should -Match 'STATUS=PendingCode'
        $text | Should -Match 'NEW=Active'
    }

    It 'interactive: Confirm-EkengCrmRegistration asks for the SMS code (masked) after the login, and activates with it' {
        $out = Invoke-Scenario {
            param($auth, $sb, $pem, $pin)
            Import-Module (Join-Path $Rigs '../pester/ScriptedHost.psm1')
            $p = $auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $pin -Confirm:$false
            $code = ((Invoke-SandboxGet $sb "sandbox/sms?phone=%2B37491234567").Body | ConvertFrom-Json)[0].code
            $r = Invoke-WithScriptedHost -Answers @($code) -Variables @{ ModulePath = $Module; P = $p; Pin = $pin } -Script 'Import-Module $ModulePath; $P | Confirm-EkengCrmRegistration -Pin $Pin -Confirm:$false'
            "ERRORS=$($r.Errors.Count)"
            "STATUS=$(@($r.Output)[0].Status)"
            "PROMPTS=$($r.Host.ScriptedUI.SecretPrompts)"
            "ASKED=$($r.Host.ScriptedUI.Written -join '|')"
        }
        $text = $out -join "`n"
        $text | Should -Match 'ERRORS=0'
        $text | Should -Match 'STATUS=Active'
        $text | Should -Match 'PROMPTS=1'
        $text | Should -Match 'ASKED=SMS code sent to \+374\*{6}67 \(6 digits\): '
    }

    It 'finishes after a sandbox restart between the two calls' {
        $out = Invoke-Scenario {
            param($auth, $sb, $pem, $pin)
            $p = $auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $pin -Confirm:$false
            $code = ((Invoke-SandboxGet $sb "sandbox/sms?phone=%2B37491234567").Body | ConvertFrom-Json)[0].code
            $sb | Stop-SandboxRig
            $sb2 = Start-SandboxRig -ClientCa $pem -Data $sb.Data
            try { "STATUS=$(($p | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString $code -AsPlainText -Force) -CrmUri $sb2.Crm -Pin $pin -Confirm:$false).Status)" } finally { $sb2 | Stop-SandboxRig }
        }
        ($out -join "`n") | Should -Match 'STATUS=Active'
    }

    It 'a certificate of another CA is refused by the sandbox with its reason' {
        $out = Invoke-Scenario {
            param($auth, $sb, $pem, $pin)
            # A sandbox trusting only another CA: the card's certificate is refused (403 with the reason, or the handshake).
            $other = Join-Path $sb.Data 'other-ca.pem'
            $key = [System.Security.Cryptography.RSA]::Create(2048)
            $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Other CA', $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
            Set-Content -LiteralPath $other -Value $req.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddYears(1)).ExportCertificatePem() -Encoding ascii
            $sb | Stop-SandboxRig
            $sb2 = Start-SandboxRig -ClientCa $other
            try {
                $null = $auth | Get-EkengCrmRegistration -CrmUri $sb2.Crm -TrustedCaFile $sb2.CaFile -Pin $pin -ErrorAction SilentlyContinue -ErrorVariable e
                "ID=$($e[0].FullyQualifiedErrorId.Split(',')[0])"
                "MSG=$($e[0].Exception.Message)"
                $none = Invoke-SandboxGet $sb2 'api/v1/registration'
                "NOCERT=$($none.Status) $($none.Body)"
            }
            finally { $sb2 | Stop-SandboxRig }
        }
        $text = $out -join "`n"
        $text | Should -Match 'ID=(ClientCertificateRefused|TlsHandshakeFailed)'
        $text | Should -Match 'NOCERT=403 .*ClientCertificateRequired'
    }

    It 'the PIN and the SMS code appear in no stream or transcript' {
        $out = Invoke-Scenario {
            param($auth, $sb, $pem, $pin)
            $transcript = Join-Path $sb.Data 'transcript.txt'
            Start-Transcript -Path $transcript -Force | Out-Null
            try {
                $p = $auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $pin -Confirm:$false -Verbose -Debug 4>&1 5>&1 6>&1 3>&1
                $reg = $p | Where-Object { $_ -is [Ekeng.Crm.CrmRegistration] }
                $code = ((Invoke-SandboxGet $sb "sandbox/sms?phone=%2B37491234567").Body | ConvertFrom-Json)[0].code
                $reg | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString $code -AsPlainText -Force) -Pin $pin -Confirm:$false -Verbose -Debug 4>&1 5>&1 6>&1 3>&1 | Out-String
                try { $reg | Confirm-EkengCrmRegistration -SmsCode (ConvertTo-SecureString '99999999' -AsPlainText -Force) -Pin $pin -Confirm:$false 2>&1 | Out-String } catch { $_ | Out-String }
            }
            finally { Stop-Transcript | Out-Null }
            "CODE=$code"
            Get-Content -Raw $transcript
        }
        $text = $out -join "`n"
        $code = [regex]::Match($text, 'CODE=(\d+)').Groups[1].Value
        $rest = $text -replace 'CODE=\d+', ''
        $rest | Should -Not -Match '73915284'
        $rest | Should -Not -Match '99999999'
        $code | Should -Not -BeNullOrEmpty
        $rest | Should -Not -Match ([regex]::Escape($code))
    }
}

Describe 'Register-EkengCrm input checks (no sandbox needed)' {
    It 'refuses a landline before anything is sent' {
        $e = $null
        try { Register-EkengCrm -PhoneNumber '010 123456' -CrmUri https://127.0.0.1:9/ } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'InvalidPhoneNumber,Ekeng.PowerShell.Commands.RegisterEkengCrmCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses to register non-interactively without -AcceptTerms, nothing sent' {
        $out = Invoke-ChildPwsh -Command "Import-Module '$env:EKENG_MODULE_PATH'; try { Register-EkengCrm -PhoneNumber '091 234567' -CrmUri https://127.0.0.1:9/ } catch { `$_.FullyQualifiedErrorId }"
        ($out -join "`n") | Should -Match 'TermsNotAccepted,Ekeng.PowerShell.Commands.RegisterEkengCrmCommand'
    }

    It 'Confirm-EkengCrmRegistration non-interactive without -SmsCode: SmsCodeRequired before any login; a code of the wrong shape: InvalidSmsCode' {
        $out = Invoke-ChildPwsh -Command "Import-Module '$env:EKENG_MODULE_PATH'; try { Confirm-EkengCrmRegistration -CrmUri https://127.0.0.1:9/ } catch { 'ID=' + `$_.FullyQualifiedErrorId }; try { Confirm-EkengCrmRegistration -CrmUri https://127.0.0.1:9/ -SmsCode (ConvertTo-SecureString '12a456' -AsPlainText -Force) } catch { 'ID=' + `$_.FullyQualifiedErrorId }"
        $out | Should -Be @('ID=SmsCodeRequired,Ekeng.PowerShell.Commands.ConfirmEkengCrmRegistrationCommand', 'ID=InvalidSmsCode,Ekeng.PowerShell.Commands.ConfirmEkengCrmRegistrationCommand')
    }

    It 'refuses a plain-http CRM address' {
        $e = $null
        try { Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -CrmUri 'http://crm.example/' } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'InvalidCrmUri,Ekeng.PowerShell.Commands.RegisterEkengCrmCommand'
    }
}
