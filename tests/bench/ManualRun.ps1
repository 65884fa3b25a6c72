<#
.SYNOPSIS
    One run of the whole manual in a fresh PowerShell (Manual.Bench.ps1 starts it): import, both PIN activations,
    registration (two calls, the SMS code from the outbox between them), the fee order, the holder's browser step
    (timed apart), the paid status with the PDF receipt. Prints one JSON line with the parts in ms (wall), and under
    'cpu' the same parts in this process's CPU ms.
    Before the import, another process registers another card against the same sandbox (BenchTools'
    Invoke-SandboxWarmUp), so that the sandbox's own first requests are not counted as the module's time; -ColdSandbox
    leaves that out (the figure as it was first measured: module and sandbox start together).
#>
param([Parameter(Mandatory)] [string] $ModulePath, [switch] $ColdSandbox)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$rigs = Join-Path $PSScriptRoot '../rigs'
Import-Module (Join-Path $rigs 'SoftHsmRig.psm1'); Import-Module (Join-Path $rigs 'SandboxRig.psm1'); Import-Module (Join-Path $rigs 'CardHolderRig.psm1')
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$authPin = ConvertTo-SecureString '73915284' -AsPlainText -Force
$signPin = ConvertTo-SecureString '27182818' -AsPlainText -Force
# The warm-up's card first (another holder, another serial); the timed card is created last, so it is the current one.
$other = if ($ColdSandbox) { $null } else { New-SoftHsmCard -Puk $puk -GivenName 'ANNA' -Surname 'PETROSYAN' -PublicServiceNumber '2234567890' -Serial 'ec0a1d02' -CaName 'Ekeng Bench Warmup CA' }
$card = New-SoftHsmCard -Puk $puk
$sb = Start-SandboxRig -ClientCa @(@($card.CaPem) + @(if ($other) { $other.CaPem }))
$parts = [ordered]@{}
$cpu = [ordered]@{}
$w = [System.Diagnostics.Stopwatch]::new()
$me = [System.Diagnostics.Process]::GetCurrentProcess()
# Wall time per step, and this process's CPU time (all its threads) beside it: on a loaded machine the CPU time moves less.
function Step([string] $name, [scriptblock] $block) {
    $me.Refresh(); $c0 = $me.TotalProcessorTime.TotalMilliseconds
    $w.Restart(); $r = & $block; $parts[$name] = [math]::Round($w.Elapsed.TotalMilliseconds, 1)
    $me.Refresh(); $cpu[$name] = [math]::Round($me.TotalProcessorTime.TotalMilliseconds - $c0, 1)
    $r
}
try {
    if ($other) { Invoke-SandboxWarmUp -ModulePath $ModulePath -Sandbox $sb -Card $other }
    $env:EKENG_PKCS11_MODULE = $card.ModulePath
    $null = Step 'import' { Import-Module $ModulePath }
    $c = Step 'activation (both PINs)' { Get-EkengCard | Initialize-EkengPin -Puk $puk -AuthPin $authPin -SignPin $signPin -Confirm:$false }
    $p = Step 'registration, call 1' { $c | Register-EkengCrm -PhoneNumber '091 234567' -AcceptTerms -CrmUri $sb.Crm -TrustedCaFile $sb.CaFile -Pin $authPin -Confirm:$false }
    $code = ConvertTo-SecureString @((Invoke-SandboxGet -Sandbox $sb -Path 'sandbox/sms?phone=%2B37491234567').Body | ConvertFrom-Json)[0].code -AsPlainText -Force
    $reg = Step 'registration, call 2 (SMS code)' { $p | Confirm-EkengCrmRegistration -SmsCode $code -Pin $authPin -Confirm:$false }
    $order = Step 'payment: fee and order' { $reg | Invoke-EkengFeePayment -Pin $authPin -NoWait -Confirm:$false }
    $b = Step 'browser (holder, apart)' {
        Invoke-CardHolder -Url $order.PaymentUrl.AbsoluteUri -Pan '4083060013681818' -Expiry '12/30' -Cvc '123' -Cardholder 'ANNA PETROSYAN' -SpkiFromPem $sb.CaFile
    }
    if (-not $b.Succeeded) { throw "CardHolder: $($b.Message)" }
    $paid = Step 'payment: status Paid and PDF receipt' { $o = $reg | Get-EkengFeePayment -OrderNumber $order.OrderNumber -Pin $authPin; $null = $o | Save-EkengFeeReceipt -Path (Join-Path $card.Root 'r.pdf'); $o }
    if ($paid.Status -ne 'Paid' -or $reg.Status -ne 'Active') { throw "Ended $($reg.Status) / $($paid.Status)." }
    $parts['cpu'] = $cpu
    $parts | ConvertTo-Json -Compress
}
finally {
    $sb | Stop-SandboxRig
    Remove-SoftHsmCard
}
