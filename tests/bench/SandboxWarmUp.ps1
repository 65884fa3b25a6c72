<#
.SYNOPSIS
    Warms a freshly started sandbox from ANOTHER PowerShell process, so that a bench times the module and not the
    sandbox's own first requests (its JIT, Kestrel's first TLS handshakes, SQLite's first statements): another card's
    holder registers (both calls), orders the fee and reads the pending order. Started by BenchTools' Invoke-SandboxWarmUp
    with SOFTHSM2_CONF naming that other card; nothing of this process reaches the timed one.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $Crm, [Parameter(Mandatory)] [string] $CaFile, [Parameter(Mandatory)] [string] $Pkcs11Module)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../rigs/SandboxRig.psm1')
Import-Module $ModulePath
$puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
$pin = ConvertTo-SecureString '73915284' -AsPlainText -Force
$c = Get-EkengCard -Pkcs11Module $Pkcs11Module | Where-Object { $_.Tokens.Count -gt 0 } | Initialize-EkengPin -Puk $puk -Pin $pin -Confirm:$false -InformationAction SilentlyContinue
$p = $c | Register-EkengCrm -PhoneNumber '093 765432' -AcceptTerms -CrmUri $Crm -TrustedCaFile $CaFile -Pin $pin -Confirm:$false
$sandbox = [pscustomobject]@{ Crm = $Crm; CaFile = $CaFile }
$code = ConvertTo-SecureString @((Invoke-SandboxGet -Sandbox $sandbox -Path 'sandbox/sms?phone=%2B37493765432').Body | ConvertFrom-Json)[0].code -AsPlainText -Force
$reg = $p | Confirm-EkengCrmRegistration -SmsCode $code -Pin $pin -Confirm:$false
$order = $reg | Invoke-EkengFeePayment -Pin $pin -NoWait -Confirm:$false
$null = $reg | Get-EkengFeePayment -OrderNumber $order.OrderNumber -Pin $pin
if ($reg.Status -ne 'Active') { throw "The warm-up registration ended $($reg.Status)." }
'warm'
