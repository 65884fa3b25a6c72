# The module against cards it did NOT make: SoftHSM2 tokens initialised and keyed by OpenSC's pkcs11-tool, certificates
# issued by an openssl test CA with the subject layouts seen in the wild (tests/rigs/ForeignCardRig.psm1). The other
# tests use the project's own card factory (tests/rigs/SoftHsmTokens); these prove the general case.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Rig ForeignCard
    $script:SandboxSkip = if ($Skip) { $Skip } else { Get-RigSkipReason -Rig CardLogin }
    # The subject layouts (openssl -subj syntax), each on its own card; 'd' is the card keyed by pkcs11-tool.
    $script:Layouts = @(
        @{ Name = 'a: CN "GIVEN SURNAME 1234567890" only'; Key = 'a'
            Auth = '/C=AM/CN=ANNA HAKOBYAN 1234567890'; Sign = '/C=AM/CN=ANNA HAKOBYAN 1234567890'
            Holder = 'ANNA HAKOBYAN'; Number = '1234567890' }
        @{ Name = 'b: SERIALNUMBER + GN + SN, no number in CN'; Key = 'b'
            Auth = '/C=AM/serialNumber=2345678901/GN=TIGRAN/SN=PETROSYAN/CN=TIGRAN PETROSYAN'
            Sign = '/C=AM/serialNumber=PNOAM-2345678901/GN=TIGRAN/SN=PETROSYAN/CN=TIGRAN PETROSYAN'
            Holder = 'TIGRAN PETROSYAN'; Number = '2345678901' }
        @{ Name = 'c: Armenian CN, Latin GN/SN'; Key = 'c'
            Auth = '/C=AM/CN=Արմեն Սարգսյան 3456789012/GN=ARMEN/SN=SARGSYAN'; Sign = '/C=AM/CN=Արմեն Սարգսյան/serialNumber=3456789012/GN=ARMEN/SN=SARGSYAN'
            Holder = 'ARMEN SARGSYAN'; Number = '3456789012' }
        @{ Name = 'd: number with a leading zero'; Key = 'd'
            Auth = '/C=AM/serialNumber=0123456789/CN=ANI GRIGORYAN'; Sign = '/C=AM/CN=ANI GRIGORYAN 0123456789'
            Holder = 'ANI GRIGORYAN'; Number = '0123456789' }
        @{ Name = 'e: GN+SN in one multi-valued RDN (openssl -multivalue-rdn)'; Key = 'e'; Multi = $true
            Auth = '/C=AM/GN=ANNA+SN=MELIKYAN/serialNumber=4567890123'; Sign = '/C=AM/CN=ANNA MELIKYAN+serialNumber=4567890123'
            Holder = 'ANNA MELIKYAN'; Number = '4567890123' }
    )
}

BeforeAll {
    Import-TestRig SoftHsm, ForeignCard, Sandbox -BuiltModule
    # 8+ digit test secrets (the PUK, the PIN pkcs11-tool sets, the PIN Set-EkengPin sets).
    $script:PukText = '86420975'
    $script:ToolPinText = '51739264'
    $script:NewPinText = '62840731'
    function script:Read-Card([object] $Card) {
        Use-SoftHsmCard -Card $Card
        @(Get-EkengCard -Pkcs11Module $Card.ModulePath | Where-Object { $_.Tokens.Count -gt 0 })
    }
    function script:Test-Login([object] $Card, [string] $Label, [string] $PinText) {
        $out = Invoke-Pkcs11Tool -Card $Card --token-label $Label --login --pin $PinText -O
        [pscustomobject]@{ Ok = ($LASTEXITCODE -eq 0); Text = ($out -join "`n") }
    }
}

Describe 'Cards made by pkcs11-tool and openssl' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("ekeng-foreign-tests-$PID")
        $script:Ca = New-OpenSslCa -Folder (Join-Path $Work 'ca')
        $script:Cards = @{}
        foreach ($l in $Layouts) {
            $pin = if ($l.Key -eq 'd') { $ToolPinText } else { $null }
            $Cards[$l.Key] = New-ForeignCard -Ca $Ca -Puk $PukText -AuthSubject $l.Auth -SignSubject $l.Sign -UserPin $pin -MultiValueRdn:($l.ContainsKey('Multi'))
        }
    }
    AfterAll {
        if (Get-Variable Cards -Scope Script -ErrorAction Ignore) { $Cards.Values | Remove-ForeignCard }
        if (Get-Variable Work -Scope Script -ErrorAction Ignore) { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction Ignore }
        Remove-SoftHsmCard
    }

    It 'Get-EkengCard shows ONE ARMID card with both tokens although each token has its own serial (<Name>)' -ForEach $Layouts {
        $card = $Cards[$Key]
        $found = Read-Card $card
        $found.Count | Should -Be 1
        $c = $found[0]
        $c.IsArmid | Should -BeTrue
        @($c.Tokens.Label) | Should -Be @('ARMID (AuthPIN)', 'ARMID (SignPIN)')
        $c.Tokens[0].SerialNumber | Should -Not -Be $c.Tokens[1].SerialNumber
        $c.AuthPin.Kind | Should -Be 'Auth'
        $c.SignPin.Kind | Should -Be 'Sign'
        $expected = $Key -eq 'd'
        $c.AuthPin.Initialized | Should -Be $expected
        $c.SignPin.Initialized | Should -Be $expected
        $c.AuthPin.PukState | Should -Be 'Ready'
    }

    It 'Get-EkengCertificate reads the holder and the ՀԾՀ (<Name>)' -ForEach $Layouts {
        $card = $Cards[$Key]
        $c = Read-Card $card
        $certs = @(Get-EkengCertificate -Card $c[0])
        @($certs.Kind) | Should -Be @('Authentication', 'Signing')
        foreach ($cert in $certs) {
            $cert.HolderName | Should -BeExactly $Holder
            $cert.PublicServiceNumber | Should -BeExactly $Number
            $cert.KindMatchesKeyUsage | Should -BeTrue
            $cert.Issuer | Should -Match 'Foreign Test CA'
        }
        $certs[0].Thumbprint | Should -Be ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($card.AuthCertificate).Thumbprint)
        $certs[1].Thumbprint | Should -Be ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($card.SignCertificate).Thumbprint)
        if ($card.AuthKeyId) { $certs[0].ObjectId | Should -Be $card.AuthKeyId }
        (Get-EkengCertificate -Card $c[0] -Kind Authentication).PublicServiceNumber | Should -BeExactly $Number
    }

    It 'Initialize-EkengPin activates tokens pkcs11-tool left without a user PIN; a PIN with leading zeros (0042) logs in with pkcs11-tool' {
        $card = $Cards['a']
        $c = Read-Card $card
        $done = $c[0] | Initialize-EkengPin -Puk (Sec $PukText) -Pin (Sec '0042') -Confirm:$false
        $done.AuthPin.Initialized | Should -BeTrue
        $done.SignPin.Initialized | Should -BeTrue
        foreach ($label in 'ARMID (AuthPIN)', 'ARMID (SignPIN)') {
            (Test-Login $card $label '0042').Ok | Should -BeTrue -Because "pkcs11-tool logs in to '$label' with 0042"
        }
        (Test-Login $card 'ARMID (AuthPIN)' '42').Ok | Should -BeFalse -Because 'the leading zeros are part of the PIN'
    }

    It 'Set-EkengPin changes a user PIN that pkcs11-tool set; the token''s key signs with the new PIN' {
        $card = $Cards['d']
        $c = Read-Card $card
        $done = $c[0] | Set-EkengPin -PinKind Auth -CurrentPin (Sec $ToolPinText) -Pin (Sec $NewPinText) -Confirm:$false
        $done.AuthPin.Initialized | Should -BeTrue
        (Test-Login $card 'ARMID (AuthPIN)' $NewPinText).Text | Should -Match 'Private Key Object'
        (Test-Login $card 'ARMID (SignPIN)' $ToolPinText).Ok | Should -BeTrue -Because 'the SignPIN is untouched'
        $data = Join-Path $card.Root 'data.bin'
        [System.IO.File]::WriteAllBytes($data, [byte[]](1..32))
        $null = Invoke-Pkcs11Tool -Card $card --token-label 'ARMID (AuthPIN)' --login --pin $NewPinText --sign --mechanism SHA256-RSA-PKCS --id $card.AuthKeyId -i $data -o (Join-Path $card.Root 'sig.bin')
        $LASTEXITCODE | Should -Be 0
    }
}

Describe 'Register-EkengCrm with a pkcs11-tool key and an openssl certificate (sandbox, mutual TLS)' -Skip:([bool]$SandboxSkip) {
    It 'logs in with the key of the certificate''s CKA_ID (not a decoy key), the sandbox reads the holder (leading zero kept)' {
        # One PKCS#11 library per process for the engine: the card, the sandbox and the login live in a child pwsh.
        $rigs = (Resolve-Path (Join-Path $PSScriptRoot '../rigs')).Path
        $out = Invoke-ChildPwsh -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module (Join-Path '$rigs' 'SoftHsmRig.psm1'); Import-Module (Join-Path '$rigs' 'ForeignCardRig.psm1'); Import-Module (Join-Path '$rigs' 'SandboxRig.psm1')
Import-Module '$env:EKENG_MODULE_PATH'
function Sec([string] `$t) { ConvertTo-SecureString -String `$t -AsPlainText -Force }
`$work = Join-Path ([IO.Path]::GetTempPath()) "ekeng-foreign-crm-`$PID"
`$ca = New-OpenSslCa -Folder (Join-Path `$work 'ca')
`$card = New-ForeignCard -Ca `$ca -Puk '$PukText' -UserPin '$ToolPinText' -DecoyKey -AuthSubject '/C=AM/serialNumber=0123456789/GN=ANI/SN=GRIGORYAN/CN=ANI GRIGORYAN' -SignSubject '/C=AM/CN=ANI GRIGORYAN 0123456789'
Use-SoftHsmCard -Card `$card
`$sb = `$null
try {
    `$c = Get-EkengCard -Pkcs11Module `$card.ModulePath | Where-Object { `$_.Tokens.Count -gt 0 }
    `$auth = Get-EkengCertificate -Card `$c -Kind Authentication
    "OBJECTID=`$(`$auth.ObjectId)"
    "KEYID=`$(`$card.AuthKeyId)"
    `$sb = Start-SandboxRig -ClientCa `$ca.Pem
    `$pin = Sec '$ToolPinText'
    `$common = @{ CrmUri = `$sb.Crm; TrustedCaFile = `$sb.CaFile; Pin = `$pin }
    `$p = `$auth | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms @common -Confirm:`$false
    "PENDING=`$(`$p.Status)"
    `$code = ((Invoke-SandboxGet `$sb 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0].code
    `$done = `$p | Confirm-EkengCrmRegistration -SmsCode (Sec `$code) -Pin `$pin -Confirm:`$false
    "STATUS=`$(`$done.Status)"
    "HOLDER=`$(`$done.HolderName)"
    "PSN=`$(`$done.PublicServiceNumber)"
    "LOGIN=`$(((Invoke-SandboxGet `$sb 'sandbox/logins').Body | ConvertFrom-Json)[0].thumbprint)"
    "THUMB=`$(`$auth.Thumbprint)"
}
finally {
    if (`$sb) { `$sb | Stop-SandboxRig }
    `$card | Remove-ForeignCard
    Remove-Item -LiteralPath `$work -Recurse -Force -ErrorAction Ignore
}
"@
        $text = $out -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $text
        $keyId = [regex]::Match($text, 'KEYID=(\w+)').Groups[1].Value
        $keyId.Length | Should -Be 40 -Because $text
        $text | Should -Match "OBJECTID=$keyId"
        $text | Should -Match 'PENDING=PendingCode'
        $text | Should -Match 'STATUS=Active'
        $text | Should -Match 'HOLDER=ANI GRIGORYAN'
        $text | Should -Match 'PSN=0123456789\b'
        $thumb = [regex]::Match($text, 'THUMB=(\w+)').Groups[1].Value
        $thumb | Should -Not -BeNullOrEmpty
        $text | Should -Match "LOGIN=$thumb"
        $text | Should -Not -Match $ToolPinText
    }
}
