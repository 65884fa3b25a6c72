# The manual's fourth procedure: register and pay in one step (a 4-digit SMS code, then the payment; no separate
# activation), for a second holder. One action per command: Register-EkengCrm -PayOnline starts it,
# Confirm-EkengCrmRegistration checks the 4-digit code (PendingPayment), Invoke-EkengFeePayment pays (Active).
Show-Step 'Register and pay in one step: Register-EkengCrm -PayOnline | Confirm-EkengCrmRegistration | Invoke-EkengFeePayment (4-digit SMS code, then the fee)'
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/SoftHsmRig.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/SandboxRig.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/CardHolderRig.psm1') -Force
$skip = Get-SoftHsmRigSkipReason
if (-not $skip) { $skip = Get-SandboxRigSkipReason }
if (-not $skip) { $skip = Get-CardHolderRigSkipReason }
if ($skip) { Skip-Step 'register-and-pay' $skip; return }
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$pin = ConvertTo-SecureString '2718' -AsPlainText -Force
$card = New-SoftHsmCard -Puk $puk -GivenName 'HOVHANNES' -Surname 'GRIGORYAN' -PublicServiceNumber '1910456789' -Serial 'ec0a1d02'
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
    Write-Host "(rig: a second holder's card, not registered; the sandbox at $($sandbox.Crm))"
    $pending = Invoke-Shown 'Get-EkengCard | Register-EkengCrm -PhoneNumber ''+374 99 123456'' -AcceptTerms -PayOnline -Pin $pin -Confirm:$false'
    $sms = @((Invoke-SandboxGet -Sandbox $sandbox -Path 'sandbox/sms?phone=%2B37499123456').Body | ConvertFrom-Json)[0]
    Write-Host "(the SMS outbox: a $($sms.code.Length)-digit code for '$($sms.purpose)')"
    $smsCode = ConvertTo-SecureString $sms.code -AsPlainText -Force
    Show-Command '$smsCode = Read-Host -AsSecureString ''SMS code'''
    Write-Host '(the holder pays on the bank''s page with an ArCa card, typed by CardHolder in headless Chromium)'
    $holder = Start-CardHolderJob -Sandbox $sandbox -Pan '9051000000000009' -Cardholder 'HOVHANNES GRIGORYAN'
    $confirmed = Invoke-Shown '$pending | Confirm-EkengCrmRegistration -SmsCode $smsCode -Pin $pin -Confirm:$false'
    if ($confirmed[0].Status -ne 'PendingPayment') { throw 'After the 4-digit code the registration should wait for the payment.' }
    $null = Invoke-Shown '$confirmed | Invoke-EkengFeePayment -Pin $pin -ReceiptPath $receipt -Timeout 120 -Confirm:$false'
    $null = $holder | Receive-Job -Wait -AutoRemoveJob
    $registration = Invoke-Shown '$confirmed | Get-EkengCrmRegistration -Pin $pin'
    $null = Invoke-Shown '$registration | Format-List HolderName, PublicServiceNumber, Phone, Status, PayOnline, ActivatedAt, PaidUntil'
    $null = Invoke-Shown '$registration | Get-EkengFeePayment -Pin $pin'
    if ($registration[0].Status -ne 'Active' -or -not $registration[0].PaidUntil) { throw 'The registration should be Active and paid.' }
}
finally {
    $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE = $saved
    Get-Job | Remove-Job -Force -ErrorAction Ignore
    if ($sandbox) { $sandbox | Stop-SandboxRig }
    Remove-SoftHsmCard
}
