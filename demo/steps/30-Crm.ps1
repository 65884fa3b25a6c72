# The manual's second procedure: the holder logs in to EKENG's customer system with the card's authentication key
# (mutual TLS, the key stays on the token) and registers: phone number and terms (Register-EkengCrm), then the
# 6-digit SMS code (Confirm-EkengCrmRegistration: "activate the certificate").
Show-Step 'CRM registration: Get-EkengCard | Register-EkengCrm | Confirm-EkengCrmRegistration (mutual TLS with the token key, SMS code from the sandbox outbox)'
$rig = Start-DemoRig -Step 'CRM' -PinText '0415'
if (-not $rig) { return }
$pin, $sandbox = $rig.Pin, $rig.Sandbox
try {
    Write-Host "(rig: the ARMID-like SoftHSM card of step 20, AuthPIN activated; the EKENG sandbox at $($sandbox.Crm), EKENG_CRM_URI and EKENG_CA_FILE point at it)"
    $null = Invoke-Shown 'Get-EkengCard | Get-EkengCrmRegistration -Pin $pin'
    $pending = Invoke-Shown 'Get-EkengCard | Register-EkengCrm -PhoneNumber ''091 234567'' -AcceptTerms -Pin $pin -Confirm:$false'
    Write-Host '(the SMS arrives on the phone: here the sandbox''s outbox)'
    $sms = @((Invoke-SandboxGet -Sandbox $sandbox -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0]
    $smsCode = ConvertTo-SecureString $sms.code -AsPlainText -Force
    Show-Command '$smsCode = Read-Host -AsSecureString ''SMS code'''
    $registration = Invoke-Shown '$pending | Confirm-EkengCrmRegistration -SmsCode $smsCode -Pin $pin'
    $null = Invoke-Shown '$registration | Format-List HolderName, PublicServiceNumber, Phone, Status, TermsVersion, ActivatedAt, UsableFrom'
    $logins = @((Invoke-SandboxGet -Sandbox $sandbox -Path 'sandbox/logins').Body | ConvertFrom-Json)
    Write-Host "(the sandbox saw $($logins.Count) logins with certificate $($logins[0].thumbprint): the card's authentication certificate)"
    if ($registration[0].Status -ne 'Active') { throw 'The registration should be Active.' }
}
finally {
    Stop-DemoRig $rig
}
