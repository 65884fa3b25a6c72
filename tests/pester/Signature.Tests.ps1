# New-EkengSignature / Test-EkengSignature with the SoftHSM card (tests/rigs/SoftHsmRig.psm1): PAdES judged by
# poppler's pdfsig (trust from an NSS database holding the rig's CA), CAdES judged by OpenSSL, the token watched by
# OpenSC's pkcs11-spy (C_Sign on the SignPIN token's key only, no private attribute read, one C_Login per command),
# and signatures made by OpenSSL with a software key checked by Test-EkengSignature.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Skip = Get-RigSkipReason -Command pdfsig, openssl, certutil -Rig SoftHsm
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ScriptedHost.psm1') -Force
    Import-TestRig SoftHsm, Sandbox -BuiltModule
    # 8+ digit test secrets that no other output contains by chance.
    $script:PukText = '86420975'
    $script:PinText = '73915284'

    # A one-page PDF written by hand (classic cross-reference table, offsets computed).
    function script:New-TestPdf([string] $Path, [string] $Title = 'test') {
        $body = "%PDF-1.4`n1 0 obj`n<</Type /Catalog /Pages 2 0 R>>`nendobj`n2 0 obj`n<</Type /Pages /Kids [3 0 R] /Count 1>>`nendobj`n" +
        "3 0 obj`n<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R>>`nendobj`n" +
        "4 0 obj`n<</Length $(7 + $Title.Length)>>`nstream`n% $Title BT`nendstream`nendobj`n"
        $offsets = foreach ($n in 1..4) { $body.IndexOf("$n 0 obj") }
        $xref = $body.Length
        $body += "xref`n0 5`n0000000000 65535 f`r`n" + (($offsets | ForEach-Object { ('{0:D10} 00000 n' -f $_) + "`r`n" }) -join '') +
        "trailer`n<</Size 5 /Root 1 0 R /ID [<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]>>`nstartxref`n$xref`n%%EOF`n"
        [System.IO.File]::WriteAllText($Path, $body, [System.Text.Encoding]::Latin1)
        Get-Item -LiteralPath $Path
    }

    # The calls pkcs11-spy logged since line $From: name, session, slot (through C_OpenSession), user type, attributes.
    function script:Get-SpyCalls([int] $From = 0) {
        $lines = @(Get-Content -LiteralPath $SpyLog)
        $slotOf = @{}
        $calls = [System.Collections.Generic.List[object]]::new()
        $current = $null
        for ($i = 0; $i -lt $lines.Count; $i++) {
            $line = $lines[$i]
            if ($line -match '^\d+: (C_\w+)') {
                $current = [pscustomobject]@{ Line = $i; Name = $Matches[1]; Session = $null; Slot = $null; UserType = $null; Text = [System.Text.StringBuilder]::new() }
                $calls.Add($current)
                continue
            }
            if (-not $current) { continue }
            [void]$current.Text.AppendLine($line)
            if ($line -match '^\[in\] slotID = (0x[0-9a-f]+)') { $current.Slot = $Matches[1] }
            if ($line -match '^\[in\] hSession = (0x[0-9a-f]+)') { $current.Session = $Matches[1]; $current.Slot = $slotOf[$Matches[1]] }
            if ($line -match '^\[out\] \*phSession = (0x[0-9a-f]+)' -and $current.Name -eq 'C_OpenSession') { $slotOf[$Matches[1]] = $current.Slot }
            if ($line -match '^\[in\] userType = (\w+)') { $current.UserType = $Matches[1] }
        }
        $calls | Where-Object Line -ge $From
    }
    function script:Get-SpyLineCount { @(Get-Content -LiteralPath $SpyLog).Count }
}

Describe 'Signing with the SignPIN (SoftHSM card, pkcs11-spy)' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Rig = New-SoftHsmCard -Puk (Sec $PukText) -PublicServiceNumber '1234567890'
        $script:SpyLog = Join-Path $Rig.Root 'pkcs11-spy.log'
        $spy = @('/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/x86_64-linux-gnu/pkcs11-spy.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
        Set-NativeEnvironment 'PKCS11SPY' $Rig.ModulePath
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $SpyLog
        $card = Get-EkengCard -Pkcs11Module $spy | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1
        $script:Card = $card | Initialize-EkengPin -Puk (Sec $PukText) -Pin (Sec $PinText) -Confirm:$false
        $script:Pin = Sec $PinText
        $script:SignSlot = '0x{0:x}' -f $Card.GetToken('Sign').SlotId
        $script:AuthSlot = '0x{0:x}' -f $Card.GetToken('Auth').SlotId
        $script:Work = Join-Path $Rig.Root 'files'
        New-Item -ItemType Directory -Path $Work | Out-Null
        # The rig's CA, trusted in an NSS database for pdfsig -nssdir.
        $script:NssDb = Join-Path $Rig.Root 'nssdb'
        New-Item -ItemType Directory -Path $NssDb | Out-Null
        & certutil -N --empty-password -d "sql:$NssDb" | Out-Null
        & certutil -A -n 'Ekeng test CA' -t 'CT,C,C' -i $Rig.CaPem -d "sql:$NssDb" | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
    AfterAll {
        Set-NativeEnvironment 'PKCS11SPY' $null
        Set-NativeEnvironment 'PKCS11SPY_OUTPUT' $null
        Remove-SoftHsmCard
    }

    It 'signs a PDF (PAdES): pdfsig says valid and trusted, signer = holder; the token signs with the SignPIN key only' {
        $pdf = New-TestPdf (Join-Path $Work 'contract.pdf')
        $from = Get-SpyLineCount
        $signed = $Card | New-EkengSignature -Path $pdf.FullName -Pin $Pin -Reason 'Approved' -Location 'Yerevan'
        $signed.SignatureFile | Should -Be (Join-Path $Work 'contract.signed.pdf')
        $signed.Kind | Should -Be 'Pades'
        $signed.PublicServiceNumber | Should -Be '1234567890'
        $out = & pdfsig -nssdir "sql:$NssDb" $signed.SignatureFile 2>&1 | Out-String
        $out | Should -Match 'Signature is Valid\.'
        $out | Should -Match 'Certificate is Trusted\.'
        $out | Should -Match 'Signer Certificate Common Name: ARMEN SARGSYAN 1234567890'
        $out | Should -Match 'ETSI\.CAdES\.detached'
        $out | Should -Match 'Total document signed'

        $calls = @(Get-SpyCalls -From $from)
        $signs = @($calls | Where-Object Name -eq 'C_SignInit')
        $signs.Count | Should -Be 1
        $signs[0].Slot | Should -Be $SignSlot
        $signs[0].Text.ToString() | Should -Match 'CKM_RSA_PKCS\b'
        @($calls | Where-Object { $_.Name -like 'C_Sign*' -and $_.Slot -ne $SignSlot }).Count | Should -Be 0
        $logins = @($calls | Where-Object Name -eq 'C_Login')
        $logins.Count | Should -Be 1
        $logins[0].Slot | Should -Be $SignSlot
        $logins[0].UserType | Should -Be 'CKU_USER'
        (Get-Content -Raw -LiteralPath $SpyLog) | Should -Not -Match 'CKA_PRIVATE_EXPONENT|CKA_PRIME_1|CKA_PRIME_2|CKA_EXPONENT_1|CKA_COEFFICIENT'

        # The module's own check: valid, the holder read by the module's certificate reader, the time of /M.
        $check = Test-EkengSignature $signed.SignatureFile -TrustedRootFile $Rig.CaPem
        $check.Valid | Should -BeTrue
        $check.SignerName | Should -Be 'ARMEN SARGSYAN'
        $check.PublicServiceNumber | Should -Be '1234567890'
        $check.SigningTime | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-10))
        $check.CoversWholeDocument | Should -BeTrue
    }

    It 'signs any other file as a detached CAdES .p7s that openssl cms -verify accepts; tampered content fails' {
        $file = Join-Path $Work 'data.bin'
        [System.IO.File]::WriteAllBytes($file, [byte[]](1..200 | ForEach-Object { $_ % 256 }))
        $signed = New-EkengSignature -Path $file -Card $Card -Pin $Pin
        $signed.SignatureFile | Should -Be "$file.p7s"
        $out = & openssl cms -verify -binary -inform DER -in "$file.p7s" -content $file -CAfile $Rig.CaPem -out /dev/null 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $out
        $dump = & openssl cms -cmsout -print -inform DER -in "$file.p7s" 2>&1 | Out-String
        $dump | Should -Match 'signingTime'
        $dump | Should -Match 'id-smime-aa-signingCertificateV2'
        (Test-EkengSignature $file -TrustedRootFile $Rig.CaPem).Valid | Should -BeTrue

        [System.IO.File]::AppendAllText($file, 'x')
        & openssl cms -verify -binary -inform DER -in "$file.p7s" -content $file -CAfile $Rig.CaPem -out /dev/null 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        "$((Test-EkengSignature "$file.p7s" -TrustedRootFile $Rig.CaPem).Reason)" | Should -Be 'Integrity'
    }

    It 'signs several files from Get-ChildItem with ONE login, one C_Sign each' {
        $folder = Join-Path $Work 'batch'
        $signedFolder = Join-Path $Work 'batch-signed'
        New-Item -ItemType Directory -Path $folder, $signedFolder | Out-Null
        1..3 | ForEach-Object { New-TestPdf (Join-Path $folder "p$_.pdf") | Out-Null }
        1..2 | ForEach-Object { Set-Content -LiteralPath (Join-Path $folder "t$_.txt") -Value "text $_" }
        $from = Get-SpyLineCount
        $signed = @(Get-ChildItem -LiteralPath $folder | New-EkengSignature -Card $Card -Pin $Pin -OutputFolder $signedFolder)
        $signed.Count | Should -Be 5
        $calls = @(Get-SpyCalls -From $from)
        @($calls | Where-Object Name -eq 'C_Login').Count | Should -Be 1
        @($calls | Where-Object Name -eq 'C_SignInit').Count | Should -Be 5
        (Get-ChildItem -LiteralPath $signedFolder).Name | Sort-Object | Should -Be @('p1.signed.pdf', 'p2.signed.pdf', 'p3.signed.pdf', 't1.txt.p7s', 't2.txt.p7s')
        @(Get-ChildItem -LiteralPath $signedFolder -Filter *.pdf | Test-EkengSignature -TrustedRootFile $Rig.CaPem | Where-Object Valid).Count | Should -Be 3
    }

    It '-Visible: a box on the first page names the holder; pdfsig still says valid' {
        $pdf = New-TestPdf (Join-Path $Work 'visible.pdf')
        $signed = New-EkengSignature -Path $pdf.FullName -Card $Card -Pin $Pin -Visible -Reason 'Approved'
        (& pdfsig -nssdir "sql:$NssDb" $signed.SignatureFile 2>&1 | Out-String) | Should -Match 'Signature is Valid\.'
        $text = [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($signed.SignatureFile))
        $text | Should -Match '/Rect \[36 36 300 96\]'
        $text | Should -Match '\(Digitally signed by ARMEN SARGSYAN\) Tj'
        $text | Should -Match '\(Reason Approved\) Tj'
    }

    It 'without -Card: the one card present signs' {
        $pdf = New-TestPdf (Join-Path $Work 'onecard.pdf')
        $signed = New-EkengSignature -Path $pdf.FullName -Pin $Pin -Pkcs11Module $Rig.ModulePath
        $signed.PublicServiceNumber | Should -Be '1234567890'
        (Test-EkengSignature $signed.SignatureFile -TrustedRootFile $Rig.CaPem).Valid | Should -BeTrue
    }

    It '-WhatIf: no login, no file' {
        $pdf = New-TestPdf (Join-Path $Work 'whatif.pdf')
        $from = Get-SpyLineCount
        # The card from the pipeline, the file as a parameter.
        $Card | New-EkengSignature -Path $pdf.FullName -Pin $Pin -WhatIf | Should -BeNullOrEmpty
        Test-Path (Join-Path $Work 'whatif.signed.pdf') | Should -BeFalse
        @(Get-SpyCalls -From $from | Where-Object { $_.Name -in 'C_Login', 'C_SignInit' }).Count | Should -Be 0
    }

    It 'an interactive host is asked for the SignPIN once for several files; the PIN shows nowhere' {
        $a = New-TestPdf (Join-Path $Work 'prompt-a.pdf')
        $b = New-TestPdf (Join-Path $Work 'prompt-b.pdf')
        $from = Get-SpyLineCount
        $r = Invoke-WithScriptedHost -Answers @($PinText) -Variables @{ ModulePath = $env:EKENG_MODULE_PATH; Card = $Card; Files = @($a.FullName, $b.FullName) } -Script @'
Import-Module $ModulePath
$DebugPreference = 'Continue'
New-EkengSignature -Path $Files -Card $Card -Verbose -Debug
'@
        $r.Errors.Count | Should -Be 0
        $r.Host.ScriptedUI.SecretPrompts | Should -Be 1
        ($r.Host.ScriptedUI.Written -join ' ') | Should -Match 'SignPIN'
        $r.Output.Count | Should -Be 2
        @(Get-SpyCalls -From $from | Where-Object Name -eq 'C_Login').Count | Should -Be 1
        $all = (@($r.Streams | ForEach-Object { "$_" }) + @($r.Host.ScriptedUI.Written) + @($r.Output | ForEach-Object { $_ | Format-List * | Out-String })) -join "`n"
        $all.Contains($PinText) | Should -BeFalse
    }

    It 'non-interactive without -Pin: PinRequired, nothing sent' {
        $pdf = New-TestPdf (Join-Path $Work 'nopin.pdf')
        $from = Get-SpyLineCount
        { $pdf | New-EkengSignature -Card $Card -ErrorAction Stop } | Should -Throw -ErrorId 'PinRequired,Ekeng.PowerShell.Commands.NewEkengSignatureCommand'
        Test-Path (Join-Path $Work 'nopin.signed.pdf') | Should -BeFalse
        @(Get-SpyCalls -From $from | Where-Object Name -eq 'C_Login').Count | Should -Be 0
    }

    It 'refuses <Case> with <ErrorId> before any PIN is sent, and leaves no file' -ForEach @(
        @{ Case = 'an encrypted PDF'; ErrorId = 'PdfEncrypted'; Category = 'InvalidData'; Make = { param($p) New-TestPdf $p | Out-Null; $t = [System.IO.File]::ReadAllText($p, [System.Text.Encoding]::Latin1).Replace('<</Size 5', '<</Encrypt 9 0 R /Size 5'); [System.IO.File]::WriteAllText($p, $t, [System.Text.Encoding]::Latin1) } }
        @{ Case = 'a damaged PDF'; ErrorId = 'PdfDamaged'; Category = 'InvalidData'; Make = { param($p) Set-Content -LiteralPath $p -Value "%PDF-1.7`nthis is not a PDF body`n" } }
        @{ Case = 'a truncated PDF'; ErrorId = 'PdfDamaged'; Category = 'InvalidData'; Make = { param($p) New-TestPdf $p | Out-Null; $b = [System.IO.File]::ReadAllBytes($p); [System.IO.File]::WriteAllBytes($p, [byte[]]$b[0..200]) } }
        @{ Case = 'a missing file'; ErrorId = 'SignInputNotFound'; Category = 'ObjectNotFound'; Make = { param($p) } }
    ) {
        $path = Join-Path $Work "bad-$([guid]::NewGuid().ToString('N').Substring(0, 6)).pdf"
        & $Make $path
        $from = Get-SpyLineCount
        $result = New-EkengSignature -Path $path -Card $Card -Pin $Pin -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be "$ErrorId,Ekeng.PowerShell.Commands.NewEkengSignatureCommand"
        "$($errors[0].CategoryInfo.Category)" | Should -Be $Category
        "$($errors[0])" | Should -Not -Match 'at Ekeng\.|   at '
        Test-Path ($path -replace '\.pdf$', '.signed.pdf') | Should -BeFalse
        @(Get-ChildItem -LiteralPath $Work -Filter '*.tmp' -Force).Count | Should -Be 0
        @(Get-SpyCalls -From $from | Where-Object { $_.Name -in 'C_Login', 'C_SignInit' }).Count | Should -Be 0
    }

    It 'a bad file among good ones: the good ones are signed, the bad one reported' {
        $good = New-TestPdf (Join-Path $Work 'mixed-good.pdf')
        $bad = Join-Path $Work 'mixed-bad.pdf'
        Set-Content -LiteralPath $bad -Value 'not a pdf'
        $signed = @(New-EkengSignature -Path $good.FullName, $bad -Card $Card -Pin $Pin -ErrorVariable errors -ErrorAction SilentlyContinue)
        $signed.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PdfDamaged,*'
    }

    It 'never replaces an existing output without -Force' {
        $pdf = New-TestPdf (Join-Path $Work 'exists.pdf')
        $target = Join-Path $Work 'exists.signed.pdf'
        Set-Content -LiteralPath $target -Value 'mine'
        $from = Get-SpyLineCount
        New-EkengSignature -Path $pdf.FullName -Card $Card -Pin $Pin -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'SignatureFileExists,*'
        "$($errors[0].CategoryInfo.Category)" | Should -Be 'WriteError'
        Get-Content -LiteralPath $target | Should -Be 'mine'
        @(Get-SpyCalls -From $from | Where-Object Name -eq 'C_Login').Count | Should -Be 0
        $signed = New-EkengSignature -Path $pdf.FullName -Card $Card -Pin $Pin -Force
        (Test-EkengSignature $signed.SignatureFile -TrustedRootFile $Rig.CaPem).Valid | Should -BeTrue
    }

    It 'the authentication certificate is refused: NotASigningCertificate, nothing sent' {
        $pdf = New-TestPdf (Join-Path $Work 'auth.pdf')
        $auth = Get-EkengCertificate -Card $Card -Kind Auth
        $from = Get-SpyLineCount
        { $auth | New-EkengSignature -Path $pdf.FullName -Pin $Pin -ErrorAction Stop } | Should -Throw -ErrorId 'NotASigningCertificate,Ekeng.PowerShell.Commands.NewEkengSignatureCommand'
        "$($error[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        @(Get-SpyCalls -From $from | Where-Object Name -eq 'C_Login').Count | Should -Be 0
        Test-Path (Join-Path $Work 'auth.signed.pdf') | Should -BeFalse
    }

    It 'a wrong SignPIN: SignPinIncorrect (AuthenticationError), once, no file, the PIN in no message' {
        $pdf = New-TestPdf (Join-Path $Work 'wrongpin.pdf')
        $from = Get-SpyLineCount
        { $pdf | New-EkengSignature -Card $Card -Pin (Sec '11223344') -ErrorAction Stop } | Should -Throw -ErrorId 'SignPinIncorrect,Ekeng.PowerShell.Commands.NewEkengSignatureCommand'
        $error[0].Exception.Message | Should -Not -Match '11223344'
        "$($error[0].CategoryInfo.Category)" | Should -Be 'AuthenticationError'
        @(Get-SpyCalls -From $from | Where-Object Name -eq 'C_Login').Count | Should -Be 1
        Test-Path (Join-Path $Work 'wrongpin.signed.pdf') | Should -BeFalse
    }
}

Describe 'Test-EkengSignature on signatures made by other tools' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Dir = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-sigtest-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Path $Dir | Out-Null
        Push-Location $Dir
        # A software CA and a signer whose CN ends with the 10-digit number, as ARMID subjects do.
        & openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj '/CN=Software Test CA' 2>&1 | Out-Null
        & openssl req -newkey rsa:2048 -nodes -keyout signer.key -out signer.csr -subj '/C=AM/CN=ARAM HAKOBYAN 0987654321' 2>&1 | Out-Null
        & openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out signer.pem -days 30 2>&1 | Out-Null
        & openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 30 -subj '/CN=Another CA' 2>&1 | Out-Null
        Set-Content -LiteralPath (Join-Path $Dir 'doc.txt') -Value 'signed by openssl'
        & openssl cms -sign -binary -md sha256 -in doc.txt -signer signer.pem -inkey signer.key -outform DER -out doc.txt.p7s 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        Pop-Location
    }
    AfterAll { Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Ignore }

    It 'verifies an openssl cms -sign signature: valid, signer name and number read by the module' {
        $check = Test-EkengSignature (Join-Path $Dir 'doc.txt') -TrustedRootFile (Join-Path $Dir 'ca.pem')
        $check.Valid | Should -BeTrue
        $check.Format | Should -Be 'CAdES'
        $check.SignerName | Should -Be 'ARAM HAKOBYAN'
        $check.PublicServiceNumber | Should -Be '0987654321'
        $check.SigningTime | Should -Not -BeNullOrEmpty
    }

    It 'another root: Reason Chain' {
        $check = Test-EkengSignature (Join-Path $Dir 'doc.txt.p7s') -TrustedRootFile (Join-Path $Dir 'other.pem')
        $check.Valid | Should -BeFalse
        "$($check.Reason)" | Should -Be 'Chain'
    }

    It 'a file without signature: SignatureNotFound; an unreadable root file: TrustedRootUnreadable' {
        $plain = Join-Path $Dir 'plain.txt'
        Set-Content -LiteralPath $plain -Value 'x'
        Test-EkengSignature $plain -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'SignatureNotFound,Ekeng.PowerShell.Commands.TestEkengSignatureCommand'
        "$($errors[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        { Test-EkengSignature $plain -TrustedRootFile $plain -ErrorAction Stop } | Should -Throw -ErrorId 'TrustedRootUnreadable,Ekeng.PowerShell.Commands.TestEkengSignatureCommand'
    }
}

Describe 'New-EkengSignature: parameters and unsafe inputs, refused before the card is touched' -Skip:([bool]$Skip) {
    BeforeAll {
        $script:Dir = Join-Path ([System.IO.Path]::GetTempPath()) "ekeng-sigargs-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Path $Dir | Out-Null
        $script:A = New-TestPdf (Join-Path $Dir 'a.pdf')
        New-Item -ItemType Directory -Path (Join-Path $Dir 'sub') | Out-Null
        $script:B = New-TestPdf (Join-Path $Dir 'sub/a.pdf')
        # No card is present in this block: each refusal must come before any card or PIN is looked for.
        $script:NoCard = @{ Pin = (Sec $PinText); Pkcs11Module = '/nonexistent/libnothing.so' }
    }
    AfterAll { Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Ignore }

    It '<ErrorId>' -ForEach @(
        @{ ErrorId = 'OutFileWithSeveralInputs'; Category = 'InvalidArgument'; Call = { New-EkengSignature -Path $A.FullName, $B.FullName -OutFile (Join-Path $Dir 'x.pdf') @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'OutFileAndOutputFolder'; Category = 'InvalidArgument'; Call = { New-EkengSignature -Path $A.FullName -OutFile (Join-Path $Dir 'x.pdf') -OutputFolder $Dir @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'OutputFolderNotFound'; Category = 'ObjectNotFound'; Call = { New-EkengSignature -Path $A.FullName -OutputFolder (Join-Path $Dir 'nope') @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'OutputFolderNotFound'; Category = 'ObjectNotFound'; Call = { New-EkengSignature -Path $A.FullName -OutFile (Join-Path $Dir 'nope/x.pdf') @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'InvalidTimestampServer'; Category = 'InvalidArgument'; Call = { New-EkengSignature -Path $A.FullName -TimestampServer ([uri]'ftp://127.0.0.1/tsa') @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'DuplicateOutput'; Category = 'InvalidArgument'; Call = { New-EkengSignature -Path $A.FullName, $B.FullName -OutputFolder $Dir @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'SignInputUnsafe'; Category = 'SecurityError'; Call = { $link = Join-Path $Dir 'link.pdf'; if (-not (Test-Path $link)) { New-Item -ItemType SymbolicLink -Path $link -Target $A.FullName | Out-Null }; New-EkengSignature -Path $link @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'SignInputUnsafe'; Category = 'SecurityError'; Call = { $fifo = Join-Path $Dir 'fifo.txt'; if (-not (Test-Path $fifo)) { & mkfifo $fifo }; New-EkengSignature -Path $fifo @NoCard -ErrorAction Stop } }
        @{ ErrorId = 'SignInputTooLarge'; Category = 'LimitsExceeded'; Call = { $big = Join-Path $Dir 'big.pdf'; & truncate -s 300M $big; New-EkengSignature -Path $big @NoCard -ErrorAction Stop } }
    ) {
        $thrown = $null
        try { & $Call } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -Be "$ErrorId,Ekeng.PowerShell.Commands.NewEkengSignatureCommand"
        "$($thrown.CategoryInfo.Category)" | Should -Be $Category
        @(Get-ChildItem -LiteralPath $Dir -Recurse -Filter '*.signed.pdf').Count | Should -Be 0
    }
}

Describe 'Time-stamps (B-T) from the sandbox''s RFC 3161 server' -Skip:([bool]$Skip) {
    BeforeDiscovery {
        $script:SkipTsa = Get-RigSkipReason -Rig Sandbox
    }
    BeforeAll {
        $script:Rig = New-SoftHsmCard -Puk (Sec $PukText) -PublicServiceNumber '1234567890'
        $script:Card = Get-EkengCard -Pkcs11Module $Rig.ModulePath | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1
        $script:Card = $Card | Initialize-EkengPin -Puk (Sec $PukText) -Pin (Sec $PinText) -Confirm:$false
        $script:Pin = Sec $PinText
        $script:Work = Join-Path $Rig.Root 'tsa'
        New-Item -ItemType Directory -Path $Work | Out-Null
        $script:Sandbox = if (-not (Get-SandboxRigSkipReason)) { Start-SandboxRig -ClientCa $Rig.CaPem }
    }
    AfterAll {
        if ($Sandbox) { $Sandbox | Stop-SandboxRig }
        Remove-SoftHsmCard
    }

    It 'a PDF and a file signed with -TimestampServer carry a time-stamp the checks accept' -Skip:([bool]$SkipTsa) {
        $tsa = [uri]($Sandbox.Gateway + 'tsa')
        $pdf = New-TestPdf (Join-Path $Work 'stamped.pdf')
        $txt = Join-Path $Work 'stamped.txt'
        Set-Content -LiteralPath $txt -Value 'time-stamped'
        $before = [datetime]::UtcNow.AddSeconds(-5)
        $signed = @(New-EkengSignature -Path $pdf.FullName, $txt -Card $Card -Pin $Pin -TimestampServer $tsa -TrustedCaFile $Sandbox.CaFile)
        $signed.Count | Should -Be 2
        foreach ($s in $signed) {
            $check = Test-EkengSignature $s.SignatureFile -TrustedRootFile $Rig.CaPem
            $check.Valid | Should -BeTrue -Because $check.Detail
            $check.Timestamp | Should -BeGreaterThan $before
            $check.Timestamp | Should -BeLessThan ([datetime]::UtcNow.AddSeconds(5))
        }
        (& pdfsig $signed[0].SignatureFile 2>&1 | Out-String) | Should -Match 'Signature is Valid\.'
        $out = & openssl cms -verify -binary -inform DER -in "$txt.p7s" -content $txt -CAfile $Rig.CaPem -out /dev/null 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $out
        (& openssl cms -cmsout -print -inform DER -in "$txt.p7s" 2>&1 | Out-String) | Should -Match 'id-smime-aa-timeStampToken'
    }

    It 'an unreachable server: TimestampFailed (ConnectionError), no file written' -Skip:([bool]$SkipTsa) {
        $pdf = New-TestPdf (Join-Path $Work 'nostamp.pdf')
        New-EkengSignature -Path $pdf.FullName -Card $Card -Pin $Pin -TimestampServer ([uri]($Sandbox.Gateway + 'no-such-tsa')) -TrustedCaFile $Sandbox.CaFile -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'TimestampFailed,Ekeng.PowerShell.Commands.NewEkengSignatureCommand'
        "$($errors[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
        Test-Path (Join-Path $Work 'nostamp.signed.pdf') | Should -BeFalse
    }
}
