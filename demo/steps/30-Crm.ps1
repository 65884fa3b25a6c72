# The manual's second procedure: the holder logs in to EKENG's customer system with the card's authentication key
# (mutual TLS, the key stays on the token) and registers: phone number and terms (Register-EkengCrm), then the
# 6-digit SMS code (Confirm-EkengCrmRegistration: "activate the certificate").
Show-Step 'CRM registration: Get-EkengCard | Register-EkengCrm | Confirm-EkengCrmRegistration (mutual TLS with the token key, SMS code from the sandbox outbox)'
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/SoftHsmRig.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/SandboxRig.psm1') -Force
$skip = Get-SoftHsmRigSkipReason
if (-not $skip) { $skip = Get-SandboxRigSkipReason }
if ($skip) { Skip-Step 'CRM' $skip; return }
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$pin = ConvertTo-SecureString '0415' -AsPlainText -Force
$card = New-SoftHsmCard -Puk $puk -GivenName 'ANI' -Surname 'HAKOBYAN' -PublicServiceNumber '0450123456'
$caPem = $card.CaPem
$saved = $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE
$sandbox = $null
try {
    $env:EKENG_PKCS11_MODULE = $card.ModulePath
    $null = Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $pin -Confirm:$false
    $sandbox = Start-SandboxRig -ClientCa $caPem
    # The sandbox stands in for crm.ekeng.am; its private CA is trusted by naming its PEM, nothing else is turned off.
    $env:EKENG_CRM_URI = $sandbox.Crm
    $env:EKENG_CA_FILE = $sandbox.CaFile
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
    $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE = $saved
    if ($sandbox) { $sandbox | Stop-SandboxRig }
    Remove-SoftHsmCard
}
