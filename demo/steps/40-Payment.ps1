# The manual's third procedure: pay the annual fee online and print the confirmation. The bank's card page is
# filled by the demo itself in headless Chromium (tests/rigs/CardHolder): the module never sees the card data.
Show-Step 'Annual fee: $registration | Invoke-EkengFeePayment -ReceiptPath (the ArCa-style gateway, the holder in headless Chromium)'
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/SoftHsmRig.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/SandboxRig.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/CardHolderRig.psm1') -Force
$skip = Get-SoftHsmRigSkipReason
if (-not $skip) { $skip = Get-SandboxRigSkipReason }
if (-not $skip) { $skip = Get-CardHolderRigSkipReason }
if ($skip) { Skip-Step 'payment' $skip; return }
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$pin = ConvertTo-SecureString '0415' -AsPlainText -Force
$card = New-SoftHsmCard -Puk $puk -GivenName 'ANI' -Surname 'HAKOBYAN' -PublicServiceNumber '0450123456'
$caPem = $card.CaPem
$receipt = Join-Path $card.Root 'ekeng-receipt.pdf'
$saved = $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE
$sandbox = $null
try {
    $env:EKENG_PKCS11_MODULE = $card.ModulePath
    $null = Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $pin -Confirm:$false
    $sandbox = Start-SandboxRig -ClientCa $caPem
    $env:EKENG_CRM_URI = $sandbox.Crm
    $env:EKENG_CA_FILE = $sandbox.CaFile
    Write-Host '(rig: a new card and sandbox set up as in step 30; the holder activates the PIN and registers as there)'
    $pending = Get-EkengCard | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -Pin $pin -Confirm:$false
    $sms = ConvertTo-SecureString @((Invoke-SandboxGet -Sandbox $sandbox -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0].code -AsPlainText -Force
    $registration = $pending | Confirm-EkengCrmRegistration -SmsCode $sms -Pin $pin
    $null = Invoke-Shown '$registration | Invoke-EkengFeePayment -Pin $pin -WhatIf'
    Write-Host '(the holder, on the bank''s page opened from PaymentUrl: test card 4083 06** **** 1818, typed by CardHolder in headless Chromium)'
    $holder = Start-CardHolderJob -Sandbox $sandbox -Pan '4083060013681818' -Cardholder 'ANI HAKOBYAN'
    $payment = Invoke-Shown '$registration | Invoke-EkengFeePayment -Pin $pin -ReceiptPath $receipt -Timeout 120 -Confirm:$false'
    $browser = $holder | Receive-Job -Wait -AutoRemoveJob
    Write-Host "(CardHolder: $($browser.Title) | $($browser.Url); browser $($browser.BrowserMs) ms, form $($browser.FormMs) ms)"
    $null = Invoke-Shown '$payment | Format-List'
    $null = Invoke-Shown '$payment.Receipt()'
    Write-Host "(the PDF receipt: $receipt; its text through pdftotext)"
    if (Get-Command pdftotext -ErrorAction Ignore) { & pdftotext -enc UTF-8 -layout $receipt - | Where-Object { $_.Trim() } | ForEach-Object { Write-Host "  $_" } }
    $null = Invoke-Shown '$registration | Get-EkengFeePayment -Pin $pin'
    $null = Invoke-Shown '$registration | Invoke-EkengFeePayment -Pin $pin -Confirm:$false'
    if ($payment[0].Status -ne 'Paid') { throw 'The fee should be Paid.' }
}
finally {
    $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE = $saved
    Get-Job | Remove-Job -Force -ErrorAction Ignore
    if ($sandbox) { $sandbox | Stop-SandboxRig }
    Remove-SoftHsmCard
}
