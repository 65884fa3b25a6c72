# The manual's procedures 2-4 as a real holder meets them: EKENG publishes no API, so with no service named the
# module checks the card (no PIN), names the real page and lists the steps left; it sends nothing anywhere.
Show-Step 'The real EKENG, guided: Get-EkengCard | Register-EkengCrm / Invoke-EkengFeePayment with no service named'
if (-not (Test-DemoStep 'real EKENG' SoftHsm)) { return }
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$pin = ConvertTo-SecureString '0415' -AsPlainText -Force
$card = New-SoftHsmCard -Puk $puk -GivenName 'ANI' -Surname 'HAKOBYAN' -PublicServiceNumber '0450123456'
$saved = $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE, $env:HOME
$home2 = Join-Path ([IO.Path]::GetTempPath()) "ekeng-demo-home-$PID"
try {
    $env:EKENG_PKCS11_MODULE = $card.ModulePath
    $env:EKENG_CRM_URI = $null
    $env:EKENG_CA_FILE = $null
    # A user with one Firefox profile (a fresh HOME), so that the browser check has something real to look at.
    New-Item -ItemType Directory -Force (Join-Path $home2 '.mozilla/firefox/p1.default') | Out-Null
    Set-Content -LiteralPath (Join-Path $home2 '.mozilla/firefox/profiles.ini') -Value "[Profile0]`nName=default`nIsRelative=1`nPath=p1.default`nDefault=1`n"
    $env:HOME = $home2
    $null = Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $pin -Confirm:$false 6>$null
    Write-Host '(rig: the ARMID-like SoftHSM card, both PINs activated; no -CrmUri, no EKENG_CRM_URI: the real EKENG)'
    $first = Invoke-Shown 'Get-EkengCard | Register-EkengCrm -WarningAction Continue'
    if ($first[0].Ready) { throw 'With no browser crypto module the portal login cannot work: the guide must say so.' }
    $null = Invoke-Shown 'Get-EkengCard | Set-FirefoxCryptoModule -Confirm:$false'
    $guide = Invoke-Shown 'Get-EkengCard | Register-EkengCrm -Verbose'
    $fee = Invoke-Shown 'Get-EkengCard | Invoke-EkengFeePayment -Language hy'
    if (-not $guide[0].Ready -or "$($guide[0].Uri)" -ne 'https://crm.ekeng.am/' -or "$($fee[0].Language)" -ne 'Hy') { throw 'The guide should be ready, name crm.ekeng.am, and speak Armenian on request.' }
    Write-Host '(nothing was sent to crm.ekeng.am or anywhere else, and no PIN was used; a non-interactive session opens no browser)'
}
finally {
    $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE, $env:HOME = $saved
    Remove-Item -Recurse -Force -LiteralPath $home2 -ErrorAction Ignore
    Remove-SoftHsmCard
}
