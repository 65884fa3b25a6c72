<#
.SYNOPSIS
    Signing: New-EkengSignature signing 100 one-page PDFs (PAdES, one login) with the SoftHSM card's SignPIN key:
    median time per file over several runs; the peer is OpenSSL's `openssl cms -sign` through the pkcs11 engine
    (libp11, the same SoftHSM key, one process and one login per file, the way a script signs files with it).
    Goal: within 2x of the peer per file.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutPath, [int] $Runs = 5, [int] $Files = 100)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../rigs/SoftHsmRig.psm1') -Force
$skip = Get-SoftHsmRigSkipReason
$engine = @('/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so', '/usr/lib/aarch64-linux-gnu/engines-3/pkcs11.so') | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $skip -and -not $engine) { $skip = 'the OpenSSL pkcs11 engine (libengine-pkcs11-openssl) is not installed' }
if ($skip) { Write-BenchLine 'Signing' "not measured: $skip"; return }
Import-Module (Resolve-Path $ModulePath).Path -Force

$pukText = '86420975'; $pinText = '24681357'
$puk = ConvertTo-SecureString $pukText -AsPlainText -Force
$pin = ConvertTo-SecureString $pinText -AsPlainText -Force
$rig = New-SoftHsmCard -Puk $puk
try {
    $card = Get-EkengCard -Pkcs11Module $rig.ModulePath | Where-Object { $_.Tokens.Count -gt 0 } | Select-Object -First 1
    $card = $card | Initialize-EkengPin -Puk $puk -Pin $pin -Confirm:$false
    $sign = Get-EkengCertificate -Card $card -Kind Sign

    # 100 one-page PDFs (classic cross-reference table, offsets computed).
    $in = Join-Path $rig.Root 'in'
    New-Item -ItemType Directory -Path $in | Out-Null
    for ($n = 1; $n -le $Files; $n++) {
        $body = "%PDF-1.4`n1 0 obj`n<</Type /Catalog /Pages 2 0 R>>`nendobj`n2 0 obj`n<</Type /Pages /Kids [3 0 R] /Count 1>>`nendobj`n3 0 obj`n<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>`nendobj`n"
        $offsets = foreach ($o in 1..3) { $body.IndexOf("$o 0 obj") }
        $xref = $body.Length
        $body += "xref`n0 4`n0000000000 65535 f`r`n" + (($offsets | ForEach-Object { ('{0:D10} 00000 n' -f $_) + "`r`n" }) -join '') + "trailer`n<</Size 4 /Root 1 0 R>>`nstartxref`n$xref`n%%EOF`n"
        [System.IO.File]::WriteAllText((Join-Path $in ('doc{0:D3}.pdf' -f $n)), $body, [System.Text.Encoding]::Latin1)
    }
    $signerPem = Join-Path $rig.Root 'sign.pem'
    [System.IO.File]::WriteAllText($signerPem, "-----BEGIN CERTIFICATE-----`n" + [Convert]::ToBase64String($sign.Certificate.RawData, 'InsertLineBreaks') + "`n-----END CERTIFICATE-----`n")

    function Median($v) { $s = @($v | Sort-Object); if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
    $ours = [System.Collections.Generic.List[double]]::new(); $peer = [System.Collections.Generic.List[double]]::new()
    $id = ($sign.ObjectId -split '(..)' | Where-Object { $_ } | ForEach-Object { "%$_" }) -join ''
    $uri = "pkcs11:token=ARMID%20(SignPIN);id=$id;type=private;pin-value=$pinText"   # test PIN of a throwaway token
    Set-NativeEnvironment 'PKCS11_MODULE_PATH' $rig.ModulePath
    $peerFiles = @(Get-ChildItem -LiteralPath $in -Filter '*.pdf' | Select-Object -First 20)
    for ($run = -1; $run -lt $Runs; $run++) {   # run -1 warms both up and is not counted
        $out = Join-Path $rig.Root "out$run"
        New-Item -ItemType Directory -Path $out | Out-Null
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $signed = @(Get-ChildItem -LiteralPath $in -Filter '*.pdf' | New-EkengSignature -Certificate $sign -Pin $pin -OutputFolder $out)
        $sw.Stop()
        if ($signed.Count -ne $Files) { throw "New-EkengSignature signed $($signed.Count) of $Files files." }
        if ($run -ge 0) { $ours.Add($sw.Elapsed.TotalMilliseconds / $Files) }

        # The peer, one process per file (20 files a run: its per-file time does not depend on the count).
        $peerOut = Join-Path $rig.Root "peer$run"
        New-Item -ItemType Directory -Path $peerOut | Out-Null
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        foreach ($f in $peerFiles) {
            & openssl cms -sign -binary -md sha256 -nosmimecap -in $f.FullName -signer $signerPem -engine pkcs11 -keyform engine -inkey $uri -outform DER -out (Join-Path $peerOut "$($f.Name).p7s") 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "openssl cms -sign failed on $($f.Name)." }
        }
        $sw.Stop()
        if ($run -ge 0) { $peer.Add($sw.Elapsed.TotalMilliseconds / $peerFiles.Count) }
    }
    $check = & openssl cms -verify -binary -inform DER -in (Join-Path $rig.Root "peer0/$($peerFiles[0].Name).p7s") -content $peerFiles[0].FullName -CAfile $rig.CaPem -out /dev/null 2>&1
    if ($LASTEXITCODE -ne 0) { throw "The peer's signature does not verify: $check" }
    $oursMs = Median $ours; $peerMs = Median $peer
    Write-BenchLine "New-EkengSignature, $Files PDFs, one login (median of $Runs)" ('{0:N2} ms per file' -f $oursMs) '<= 2x the peer'
    Write-BenchLine "openssl cms -sign -engine pkcs11, one process per file" ('{0:N2} ms per file' -f $peerMs)
    Write-BenchLine 'ratio New-EkengSignature / openssl' ('{0:N2}' -f ($oursMs / $peerMs)) '<= 2'
}
finally {
    Set-NativeEnvironment 'PKCS11_MODULE_PATH' $null
    Remove-SoftHsmCard
}
