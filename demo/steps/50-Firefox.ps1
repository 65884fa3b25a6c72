# Demo step: the manual's last procedure (Firefox, Security Devices, Load the CryptoCard module) as a sysadmin runs
# it for every profile: a real headless firefox-esr profile in a temp HOME, SoftHSM2 standing in for the card's
# PKCS#11 library (its token is labelled like the card's), NSS's modutil as the independent witness.
Show-Step 'Firefox: load the card''s PKCS#11 module into every profile (Set-FirefoxCryptoModule)'
$ffRoot = Join-Path ([IO.Path]::GetTempPath()) "ekeng-demo-ff-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$ffSaved = @{ HOME = $env:HOME; SOFTHSM2_CONF = $env:SOFTHSM2_CONF; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME }
try {
    foreach ($tool in 'firefox-esr', 'modutil', 'softhsm2-util') {
        if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "'$tool' is not installed: run build.ps1 -Task Deps." }
    }
    $env:HOME = Join-Path $ffRoot 'home'
    $env:XDG_CONFIG_HOME = $null
    New-Item -ItemType Directory -Force $env:HOME, (Join-Path $ffRoot 'tokens') | Out-Null
    $env:SOFTHSM2_CONF = Join-Path $ffRoot 'softhsm2.conf'
    Set-Content -LiteralPath $env:SOFTHSM2_CONF -Value "directories.tokendir = $(Join-Path $ffRoot 'tokens')`nobjectstore.backend = file`nlog.level = ERROR"
    & softhsm2-util --init-token --free --label 'ARMID (AuthPIN)' --so-pin 87654321 --pin 123456 *> $null
    $library = '/usr/lib/softhsm/libsofthsm2.so'

    # Two profiles of the user, one of them used once already (as users' profiles are).
    $work = Join-Path $ffRoot 'home/Firefox profiles/Աշխատանք'
    $home2 = Join-Path $ffRoot 'home/Firefox profiles/personal'
    & firefox-esr --headless -CreateProfile "work $work" *> $null
    & firefox-esr --headless -CreateProfile "personal $home2" *> $null
    & timeout 60 firefox-esr --headless --profile $work --screenshot (Join-Path $ffRoot 'shot.png') about:blank *> $null
    Write-Host "Two Firefox profiles in $env:HOME/.config/mozilla/firefox/profiles.ini: 'work' ($work), 'personal'."

    Show-Command "Set-FirefoxCryptoModule -Path $library"
    Set-FirefoxCryptoModule -Path $library | Format-Table -AutoSize | Out-Host

    Show-Command "Set-FirefoxCryptoModule -Path $library    # again: nothing to do"
    Set-FirefoxCryptoModule -Path $library | Format-Table Status, ProfileName, Name -AutoSize | Out-Host

    Show-Command "modutil -list -dbdir 'sql:$work'"
    (& modutil -list -dbdir "sql:$work" 2>&1) | Select-String -Pattern '^\s+\d\.|library name|token:' | ForEach-Object { Write-Host $_.Line }

    Show-Command "Test-FirefoxCryptoModule -Path $library    # an Intune detection script's answer"
    Test-FirefoxCryptoModule -Path $library | Out-Host

    Show-Command "Get-FirefoxCryptoModule | Remove-FirefoxCryptoModule -Confirm:`$false"
    Get-FirefoxCryptoModule | Remove-FirefoxCryptoModule -Confirm:$false | Format-Table Status, ProfileName, Name, Library -AutoSize | Out-Host

    Show-Command "Test-FirefoxCryptoModule -Path $library"
    Test-FirefoxCryptoModule -Path $library | Out-Host
}
finally {
    foreach ($name in $ffSaved.Keys) { [Environment]::SetEnvironmentVariable($name, $ffSaved[$name]) }
    Remove-Item -LiteralPath $ffRoot -Recurse -Force -ErrorAction SilentlyContinue
}
