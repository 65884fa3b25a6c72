# The manual's first procedure: activate both PINs of a new card with the Initial PUK, then see its certificates.
Show-Step 'PIN activation: Get-EkengCard | Initialize-EkengPin | Get-EkengCertificate (SoftHSM2 ARMID-like card, pkcs11-tool as witness)'
if (-not (Test-DemoStep 'PIN' SoftHsm)) { return }
# Demo values, typed here as a holder would type them at the prompts; SecureStrings from here on.
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$authPin = ConvertTo-SecureString '0415' -AsPlainText -Force
$signPin = ConvertTo-SecureString '27182818' -AsPlainText -Force
$card = New-SoftHsmCard -Puk $puk -GivenName 'ANI' -Surname 'HAKOBYAN' -PublicServiceNumber '0450123456'
$savedModule = $env:EKENG_PKCS11_MODULE
try {
    $env:EKENG_PKCS11_MODULE = $card.ModulePath
    Write-Host "(rig: two SoftHSM tokens in $($card.TokenDirectory), user PINs not initialised; EKENG_PKCS11_MODULE=$($card.ModulePath))"
    $null = Invoke-Shown 'Get-EkengCard | Format-Table'
    $null = Invoke-Shown '(Get-EkengCard).Tokens'
    $null = Invoke-Shown 'Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $authPin -WhatIf'
    $null = Invoke-Shown 'Get-EkengCard | Initialize-EkengPin -Puk $puk -AuthPin $authPin -SignPin $signPin -Verbose | Format-List Reader, SerialNumber, AuthPin, SignPin, Pkcs11Module'
    $certs = Invoke-Shown 'Get-EkengCard | Get-EkengCertificate'
    $null = Invoke-Shown 'Get-EkengCard | Get-EkengCertificate -Kind Signing | Format-List Kind, HolderName, PublicServiceNumber, Subject, Issuer, NotAfter, DaysLeft, Thumbprint'
    Write-Host '(the independent witness: OpenSC pkcs11-tool logs in with the new AuthPIN and sees the non-extractable key)'
    Show-Command "pkcs11-tool --module $($card.ModulePath) --token-label 'ARMID (AuthPIN)' --login --pin **** -O"
    $out = Invoke-Pkcs11Tool -Card $card --token-label 'ARMID (AuthPIN)' --login --pin '0415' -O
    if ($LASTEXITCODE -ne 0) { throw 'pkcs11-tool could not log in with the new PIN.' }
    $out | Select-String 'Object;|Access|label' | ForEach-Object { Write-Host "  $($_.Line.Trim())" }
    if (@($certs).Count -ne 2) { throw 'The card should show two certificates.' }
    $null = Invoke-Shown 'Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $authPin -ErrorAction Continue'
}
finally {
    $env:EKENG_PKCS11_MODULE = $savedModule
    Remove-SoftHsmCard
}
