# What the demo's steps share: the console (a step's title, a command shown as typed, its output as the console would
# show it), the skip rule for a step whose rig cannot run (tests/TestRun.psm1), and the rig of the CRM and fee steps
# (a SoftHSM card with its AuthPIN activated, the EKENG sandbox trusting the card's CA, the environment pointing at
# them). demo/Demo.ps1 imports this module and the built module in each step's fresh PowerShell.
Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot '../tests/TestRun.psm1')

function Show-Step([string] $Title) {
    Write-Host ''
    Write-Host ('=' * 78)
    Write-Host "  $Title"
    Write-Host ('=' * 78)
}

function Show-Command([string] $Text) {
    Write-Host "PS> $Text" -ForegroundColor Cyan
}

function Invoke-Shown {
    <#
    .SYNOPSIS
        Prints a command as typed at the prompt, runs it in the step's own scope (its variables: $pin, $card, ...),
        shows its output as the console would, and returns the objects.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Command)
    Show-Command $Command
    $block = [scriptblock]::Create($Command)
    try { $result = @($PSCmdlet.SessionState.InvokeCommand.InvokeScript($PSCmdlet.SessionState, $block, @())) }
    catch [System.Management.Automation.MethodInvocationException] { throw $_.Exception.InnerException }
    $result | Out-String -Width 160 | Write-Host -NoNewline
    $result
}

function Test-DemoStep {
    <#
    .SYNOPSIS
        Imports the rigs a step needs and says whether it can run. When it cannot, the step is skipped with its
        reason (said here; the step returns); with CI=true the rig's check throws instead, so the demo fails.
    #>
    param([Parameter(Mandatory)] [string] $Step, [ValidateSet('SoftHsm', 'Sandbox', 'CardHolder')] [string[]] $Rig)
    $reason = Resolve-RigSkipReason $Rig
    if ($reason) {
        Write-Host "($Step step $reason)"
        return $false
    }
    $true
}

function Start-DemoRig {
    <#
    .SYNOPSIS
        The rig of the CRM and fee steps: a new SoftHSM card of the holder given, its AuthPIN activated with the
        PUK, the sandbox started trusting the card's CA, and EKENG_PKCS11_MODULE, EKENG_CRM_URI and EKENG_CA_FILE
        pointing at them. $null when the step is skipped (Test-DemoStep). Stop-DemoRig undoes it all.
    .OUTPUTS
        Card, Puk, Pin (SecureStrings, as a holder types them at the prompts), Sandbox, and the saved environment.
    #>
    param(
        [Parameter(Mandatory)] [string] $Step,
        [Parameter(Mandatory)] [string] $PinText,
        [string] $GivenName = 'ANI',
        [string] $Surname = 'HAKOBYAN',
        [string] $PublicServiceNumber = '0450123456',
        [string] $Serial,
        # The holder also pays on the bank's page in headless Chromium (tests/rigs/CardHolder).
        [switch] $CardHolder
    )
    $rigs = @('SoftHsm', 'Sandbox') + @(if ($CardHolder) { 'CardHolder' })
    if (-not (Test-DemoStep $Step $rigs)) { return $null }
    $puk = ConvertTo-SecureString '86420975' -AsPlainText -Force
    $holder = @{ GivenName = $GivenName; Surname = $Surname; PublicServiceNumber = $PublicServiceNumber }
    if ($Serial) { $holder.Serial = $Serial }
    $rig = [pscustomobject]@{
        Card    = New-SoftHsmCard -Puk $puk @holder
        Puk     = $puk
        Pin     = ConvertTo-SecureString $PinText -AsPlainText -Force
        Sandbox = $null
        Saved   = @($env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE)
    }
    try {
        $env:EKENG_PKCS11_MODULE = $rig.Card.ModulePath
        $null = Get-EkengCard | Initialize-EkengPin -Puk $rig.Puk -Pin $rig.Pin -Confirm:$false
        $rig.Sandbox = Start-SandboxRig -ClientCa $rig.Card.CaPem
        # The sandbox stands in for crm.ekeng.am; its private CA is trusted by naming its PEM, nothing else is turned off.
        $env:EKENG_CRM_URI = $rig.Sandbox.Crm
        $env:EKENG_CA_FILE = $rig.Sandbox.CaFile
    }
    catch {
        Stop-DemoRig $rig
        throw
    }
    $rig
}

function Stop-DemoRig {
    <# .SYNOPSIS Stops what Start-DemoRig started (the card holder's jobs, the sandbox, the card) and restores the environment. #>
    param([Parameter(Mandatory)] [object] $Rig)
    $env:EKENG_PKCS11_MODULE, $env:EKENG_CRM_URI, $env:EKENG_CA_FILE = $Rig.Saved
    Get-Job | Remove-Job -Force -ErrorAction Ignore
    if ($Rig.Sandbox) { $Rig.Sandbox | Stop-SandboxRig }
    Remove-SoftHsmCard
}

Export-ModuleMember -Function Show-Step, Show-Command, Invoke-Shown, Test-DemoStep, Start-DemoRig, Stop-DemoRig
