# The manual's third procedure: pay the annual fee online and print the confirmation. The bank's card page is
# filled by the demo itself in headless Chromium (tests/rigs/CardHolder): the module never sees the card data.
Show-Step 'Annual fee: $registration | Invoke-EkengFeePayment -ReceiptPath (the ArCa-style gateway, the holder in headless Chromium)'
$rig = Start-DemoRig -Step 'payment' -PinText '0415' -CardHolder
if (-not $rig) { return }
$pin, $sandbox = $rig.Pin, $rig.Sandbox
$receipt = Join-Path $rig.Card.Root 'ekeng-receipt.pdf'
try {
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
    Stop-DemoRig $rig
}
