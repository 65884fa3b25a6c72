# Step 1 of the manual starts with the card in a reader: find the reader and the card (PC/SC).
Show-Step 'The ID card in the reader: Get-EkengCard (real pcscd, vpcd reader, virtual ARMID card)'
Import-Module (Join-Path $PSScriptRoot '../../tests/rigs/PcscRig.psm1') -Force
$rig = Start-PcscRig
try {
    Write-Host "(rig: pcscd pid $($rig.PcscdPid), readers: $($rig.ReaderNames -join ', '))"
    $null = Invoke-Shown 'Get-EkengCard'

    Write-Host '(the holder inserts the card a second after the command starts waiting)'
    $insert = Start-ThreadJob -ArgumentList $rig, (Join-Path $PSScriptRoot '../../tests/rigs/PcscRig.psm1') {
        param($rig, $module)
        Import-Module $module
        Start-Sleep -Seconds 1
        Add-VirtualCard -Rig $rig -Slot 0 | Out-Null
    }
    $card = Invoke-Shown 'Get-EkengCard -Wait -Timeout 30'
    $insert | Wait-Job | Remove-Job
    if (-not $card.IsArmid) { throw 'The virtual card was not recognised as ARMID.' }

    $null = Invoke-Shown 'Get-EkengCard | Where-Object IsArmid | Format-List Reader, State, CardPresent, IsArmid, Atr'
}
finally {
    Stop-PcscRig
}
