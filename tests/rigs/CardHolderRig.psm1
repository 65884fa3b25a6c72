#requires -Version 7.2
<#
.SYNOPSIS
    The card holder's step in a real headless browser: builds tests/rigs/CardHolder once and runs it.

.DESCRIPTION
    dotnet CardHolder.dll --url <formUrl> --spki-from-pem <pem> [--three-ds-code <code>] [--timeout <s>]
    fills the gateway's card page (inputs pan, cardholder, expiry, cvc; button id=pay; 3-D Secure input id=code and
    button id=confirm) in Debian's chromium through Selenium and chromedriver, trusting only the pinned certificate
    (--ignore-certificate-errors-spki-list; a CA PEM pins the server's leaf after checking it chains to that CA).
    The TEST card data travel to the child process in its own environment (EKENG_TEST_*), never on its command line
    and never in this process's environment. Exit 0: the browser reached the return URL (paid or declined is for
    EKENG's status to say); 1: the page showed an error (its message); 2: usage.
#>

Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../TestRun.psm1')

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$script:Project = Join-Path $PSScriptRoot 'CardHolder'
$script:DefaultOut = Join-Path $script:RepoRoot 'out/rigs/CardHolder'
$script:Dll = $null

function Get-DotnetPath {
    $processPath = [System.Environment]::ProcessPath
    if ($processPath -and [System.IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') { return $processPath }
    if ($env:DOTNET_HOST_PATH -and (Test-Path -LiteralPath $env:DOTNET_HOST_PATH)) { return $env:DOTNET_HOST_PATH }
    $dotnet = Get-Command dotnet -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $dotnet) { throw 'dotnet was not found (needed to build and run tests/rigs/CardHolder).' }
    $dotnet.Source
}

function Build-CardHolder {
    <#
    .SYNOPSIS
        Builds tests/rigs/CardHolder once (dotnet build -c Release -o <OutputPath>) and returns the dll path.
        Skips the build when the dll is newer than every source file, unless -Force.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string]$OutputPath = $script:DefaultOut,
        [switch]$Force
    )
    $dll = Join-Path $OutputPath 'CardHolder.dll'
    if (-not $Force -and $script:Dll -eq $dll -and (Test-Path -LiteralPath $dll)) { return $dll }
    $sources = @(Get-ChildItem -LiteralPath $script:Project -Recurse -File -Include '*.cs', '*.csproj' |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    foreach ($f in 'Directory.Build.props', 'Directory.Packages.props') {
        $sources += @(Get-Item -LiteralPath (Join-Path $script:RepoRoot $f) -ErrorAction SilentlyContinue)
    }
    $newest = ($sources | Measure-Object -Property LastWriteTimeUtc -Maximum).Maximum
    if ($Force -or -not (Test-Path -LiteralPath $dll) -or (Get-Item -LiteralPath $dll).LastWriteTimeUtc -lt $newest) {
        $project = Join-Path $script:Project 'CardHolder.csproj'
        Write-Verbose "Building $project -> $OutputPath"
        # --disable-build-servers: no MSBuild node or compiler server outlives the build.
        $output = & (Get-DotnetPath) build $project -c Release -o $OutputPath --nologo -v quiet --disable-build-servers 2>&1
        if ($LASTEXITCODE -ne 0) { throw "CardHolderRig: building CardHolder failed ($LASTEXITCODE):`n$($output -join "`n")" }
    }
    $script:Dll = $dll
    $dll
}

function Get-CardHolderRigSkipReason {
    <#
    .SYNOPSIS
        Why the browser step cannot run here (chromium or chromedriver missing: 'SKIPPED: ...', through
        tests/TestRun.psm1's skip rule), or $null.
    #>
    $missing = foreach ($f in @(@('/usr/bin/chromium', 'chromium'), @('/usr/bin/chromedriver', 'chromium-driver'))) {
        if (-not (Test-Path -LiteralPath $f[0])) { "$($f[0]) is missing: install the Debian package '$($f[1])' (build.ps1 -Task Deps)" }
    }
    Resolve-SkipReason $missing
}

function Invoke-CardHolder {
    <#
    .SYNOPSIS
        Pays on the gateway's card page in headless Chromium with a TEST card; returns the outcome.
    .OUTPUTS
        [pscustomobject] Ekeng.CardHolderResult: Succeeded, ExitCode, Url, Title, ThreeDSecure, Message, BrowserMs, FormMs, ElapsedMs.
        Succeeded is $false when the page showed an error (exit 1; Message is the page's text). Other exits throw.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Pem')]
    param(
        [Parameter(Mandatory)] [string]$Url,
        [Parameter(Mandatory)] [string]$Pan,
        [Parameter(Mandatory)] [string]$Expiry,
        [Parameter(Mandatory)] [string]$Cvc,
        [Parameter(Mandatory)] [string]$Cardholder,
        [Parameter(Mandatory, ParameterSetName = 'Pem')] [string]$SpkiFromPem,
        [Parameter(Mandatory, ParameterSetName = 'Spki')] [string[]]$Spki,
        [string]$ThreeDsCode,
        [ValidateRange(1, 600)] [int]$Timeout = 30,
        [string]$ReturnUrl
    )
    $dll = Build-CardHolder
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-DotnetPath))
    $arguments = @($dll, '--url', $Url, '--timeout', "$Timeout")
    if ($PSCmdlet.ParameterSetName -eq 'Pem') { $arguments += '--spki-from-pem', (Resolve-Path -LiteralPath $SpkiFromPem).ProviderPath }
    else { $arguments += '--spki', ($Spki -join ',') }
    if ($ThreeDsCode) { $arguments += '--three-ds-code', $ThreeDsCode }
    if ($ReturnUrl) { $arguments += '--return-url', $ReturnUrl }
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    # The card goes to the child's environment only.
    $psi.Environment['EKENG_TEST_PAN'] = $Pan
    $psi.Environment['EKENG_TEST_EXPIRY'] = $Expiry
    $psi.Environment['EKENG_TEST_CVC'] = $Cvc
    $psi.Environment['EKENG_TEST_CARDHOLDER'] = $Cardholder
    $psi.Environment['SE_OFFLINE'] = 'true'
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($psi)
    try {
        $stderrTask = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(($Timeout + 60) * 1000)) {
            $process.Kill($true)
            throw "CardHolder did not finish within $($Timeout + 60) s."
        }
        $stderr = $stderrTask.GetAwaiter().GetResult()
        $exit = $process.ExitCode
    }
    finally {
        $process.Dispose()
    }
    $fields = @{}
    foreach ($line in ($stdout -split "`r?`n")) {
        if ($line -match '^(url|title|3ds|timing): (.*)$') { $fields[$Matches[1]] = $Matches[2] }
    }
    if ($exit -ne 0 -and $exit -ne 1) { throw "CardHolder exited $exit`: $($stderr.Trim())" }
    $browserMs = $null; $formMs = $null
    if ($fields['timing'] -match 'browser (\d+) ms, form (\d+) ms') { $browserMs = [int]$Matches[1]; $formMs = [int]$Matches[2] }
    [pscustomobject]@{
        PSTypeName   = 'Ekeng.CardHolderResult'
        Succeeded    = $exit -eq 0
        ExitCode     = $exit
        Url          = $fields['url']
        Title        = $fields['title']
        ThreeDSecure = $fields['3ds'] -eq 'yes'
        Message      = if ($exit -eq 0) { $null } else { $stderr.Trim() }
        BrowserMs    = $browserMs
        FormMs       = $formMs
        ElapsedMs    = [int]$watch.ElapsedMilliseconds
    }
}

function Start-CardHolderJob {
    <#
    .SYNOPSIS
        The card holder as a thread job: waits until the sandbox's gateway lists an order in state 0 beyond the -Known
        first ones (the module's command creates it meanwhile), then pays on its card page with Invoke-CardHolder.
        Receive-Job returns Invoke-CardHolder's result. The card data go to the CardHolder child process only.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [object] $Sandbox,
        [Parameter(Mandatory)] [string] $Pan,
        [string] $Expiry = '12/30',
        [string] $Cvc = '123',
        [string] $Cardholder = 'ANNA PETROSYAN',
        [string] $ThreeDsCode,
        [int] $Known = -1,
        [int] $TimeoutSeconds = 60
    )
    $sandboxRig = Join-Path $PSScriptRoot 'SandboxRig.psm1'
    if ($Known -lt 0) {
        Import-Module $sandboxRig
        $Known = @((Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/gateway/orders').Body | ConvertFrom-Json).Count
    }
    $card = @{ Pan = $Pan; Expiry = $Expiry; Cvc = $Cvc; Cardholder = $Cardholder; ThreeDsCode = $ThreeDsCode }
    Build-CardHolder | Out-Null
    Start-ThreadJob -ArgumentList $PSCommandPath, $sandboxRig, $Sandbox, $card, $Known, $TimeoutSeconds -ScriptBlock {
        param($Self, $SandboxRig, $Sandbox, $Card, $Known, $TimeoutSeconds)
        $ErrorActionPreference = 'Stop'
        Import-Module $SandboxRig; Import-Module $Self
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
        do {
            $orders = @((Invoke-SandboxGet -Sandbox $Sandbox -Path 'sandbox/gateway/orders').Body | ConvertFrom-Json)
            if ($orders.Count -gt $Known -and $orders[0].orderStatus -eq 0) { break }
            if ([datetime]::UtcNow -gt $deadline) { throw "No new order at the gateway within $TimeoutSeconds s." }
            Start-Sleep -Milliseconds 100
        } while ($true)
        $a = @{
            Url = "$($Sandbox.Gateway)payment/merchants/ekeng/payment.html?mdOrder=$($orders[0].orderId)"
            Pan = $Card.Pan; Expiry = $Card.Expiry; Cvc = $Card.Cvc; Cardholder = $Card.Cardholder; SpkiFromPem = $Sandbox.CaFile
        }
        if ($Card.ThreeDsCode) { $a.ThreeDsCode = $Card.ThreeDsCode }
        Invoke-CardHolder @a
    }
}

function Get-ChromiumPolicyPage {
    <#
    .SYNOPSIS
        The text of chrome://policy in Debian's headless chromium (through Selenium, as the payments drive it): every
        policy the browser applied from /etc/chromium/policies, with its value and status (OK or the error).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([ValidateRange(1, 300)] [int]$Timeout = 30)
    $dll = Build-CardHolder
    $output = & (Get-DotnetPath) $dll --policy-page --timeout $Timeout 2>&1
    if ($LASTEXITCODE -ne 0) { throw "CardHolder --policy-page exited $LASTEXITCODE`: $($output -join "`n")" }
    ($output | ForEach-Object { "$_" }) -join "`n"
}

Export-ModuleMember -Function Build-CardHolder, Get-CardHolderRigSkipReason, Get-ChromiumPolicyPage, Invoke-CardHolder, Start-CardHolderJob
