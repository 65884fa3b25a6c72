# The manual's fourth procedure: register and pay in one step (a 4-digit SMS code, then the payment; no separate
# activation), for a second holder. One action per command: Register-EkengCrm -PayOnline starts it,
# Confirm-EkengCrmRegistration checks the 4-digit code (PendingPayment), Invoke-EkengFeePayment pays (Active).
Show-Step 'Register and pay in one step: Register-EkengCrm -PayOnline | Confirm-EkengCrmRegistration | Invoke-EkengFeePayment (4-digit SMS code, then the fee)'
$rig = Start-DemoRig -Step 'register-and-pay' -PinText '2718' -CardHolder -GivenName 'HOVHANNES' -Surname 'GRIGORYAN' -PublicServiceNumber '1910456789' -Serial 'ec0a1d02'
if (-not $rig) { return }
$pin, $sandbox = $rig.Pin, $rig.Sandbox
$receipt = Join-Path $rig.Card.Root 'ekeng-receipt.pdf'
try {
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
    Stop-DemoRig $rig
}
