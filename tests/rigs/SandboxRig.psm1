# The EKENG sandbox (src/Ekeng.Sandbox, published to out/sandbox by the Build task) as a rig: started on loopback with
# free ports, a private data folder and the rig's client CA; stopped by its pid. docs/WIRE-CONTRACT.md is the contract.
Set-StrictMode -Version 3

Import-Module (Join-Path $PSScriptRoot '../TestRun.psm1')
$script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SandboxDll = Join-Path $script:Repo 'out/sandbox/Ekeng.Sandbox.dll'

function Get-SandboxRigSkipReason {
    <# .SYNOPSIS Why the sandbox cannot run here ('SKIPPED: ...', through tests/TestRun.psm1's skip rule), or $null. #>
    if (Test-Path -LiteralPath $script:SandboxDll) { return $null }
    Resolve-SkipReason 'sandbox not built (out/sandbox/Ekeng.Sandbox.dll)'
}

function Get-CardLoginSkipReason {
    <#
    .SYNOPSIS
        Why a card login to the sandbox cannot run here: the sandbox not built, or OpenSSL's pkcs11 engine (the
        token-key TLS) missing ('SKIPPED: ...', through tests/TestRun.psm1's skip rule). $null when it can run.
    #>
    $reason = Get-SandboxRigSkipReason
    if ($reason) { return $reason }
    if (Test-Path -LiteralPath '/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so') { return $null }
    Resolve-SkipReason "OpenSSL's pkcs11 engine is missing (libengine-pkcs11-openssl)"
}

function Start-SandboxRig {
    <#
    .SYNOPSIS
        Starts the sandbox and waits for <data>/endpoints.json; returns Crm, Gateway, Pid, Data, CaFile (sandbox-ca.pem).
    .PARAMETER ClientCa
        PEM file(s) of the CAs whose client certificates the CRM accepts (the SoftHSM rig's test CA).
    .PARAMETER Data
        The data folder; reuse one to restart the sandbox with its state (a restart loses nothing).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $ClientCa,
        [string] $Data = (Join-Path ([IO.Path]::GetTempPath()) ("ekeng-sandbox-" + [guid]::NewGuid().ToString('N').Substring(0, 8))),
        [string[]] $ExtraArguments = @(),
        [int] $TimeoutSeconds = 60
    )
    New-Item -ItemType Directory -Force $Data | Out-Null
    $endpoints = Join-Path $Data 'endpoints.json'
    Remove-Item -LiteralPath $endpoints -ErrorAction Ignore
    [string[]] $arguments = @($script:SandboxDll, '--urls', 'https://127.0.0.1:0', '--gateway-urls', 'https://127.0.0.1:0', '--data', $Data)
    foreach ($ca in $ClientCa) { $arguments += @('--client-ca', $ca) }
    $arguments += $ExtraArguments
    $log = Join-Path $Data ("sandbox-{0:yyyyMMddHHmmssfff}.log" -f [datetime]::UtcNow)
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput $log -RedirectStandardError "$log.err"
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path -LiteralPath $endpoints)) {
        if ($process.HasExited) { throw "The sandbox exited with $($process.ExitCode): $(Get-Content -Raw -LiteralPath $log, "$log.err" -ErrorAction Ignore)" }
        if ([datetime]::UtcNow -gt $deadline) { Stop-Process -Id $process.Id -Force -ErrorAction Ignore; throw "The sandbox did not write $endpoints within $TimeoutSeconds s." }
        Start-Sleep -Milliseconds 100
    }
    Start-Sleep -Milliseconds 50 # endpoints.json is written once both listeners are up; let the writer close it
    $e = Get-Content -Raw -LiteralPath $endpoints | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName = 'Ekeng.Rigs.Sandbox'
        Crm        = ([string]$e.crm).TrimEnd('/') + '/'
        Gateway    = ([string]$e.gateway).TrimEnd('/') + '/'
        Pid        = $process.Id
        Data       = $Data
        CaFile     = Join-Path $Data 'sandbox-ca.pem'
        Log        = $log
    }
}

function Stop-SandboxRig {
    <# .SYNOPSIS Stops the sandbox by its pid (never by name) and waits for it to exit. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [object] $Sandbox)
    process {
        $p = Get-Process -Id $Sandbox.Pid -ErrorAction Ignore
        if ($p) {
            Stop-Process -Id $Sandbox.Pid -Force -ErrorAction Ignore
            $null = $p.WaitForExit(10000)
        }
    }
}

function Invoke-SandboxGet {
    <# .SYNOPSIS GET (or -Post) a /sandbox/ path (no client certificate), the server checked against the sandbox's own CA only. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [object] $Sandbox, [Parameter(Mandatory)] [string] $Path, [switch] $Post)
    $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -Raw -LiteralPath $Sandbox.CaFile))
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    # A chain policy, not a callback: a script block has no runspace on the thread-pool thread of the handshake.
    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = 'CustomRootTrust'
    $null = $policy.CustomTrustStore.Add($ca)
    $policy.RevocationMode = 'NoCheck'
    $handler.SslOptions.CertificateChainPolicy = $policy
    $client = [System.Net.Http.HttpClient]::new($handler)
    try {
        $uri = [uri]::new([uri]$Sandbox.Crm, $Path.TrimStart('/'))
        $response = if ($Post) { $client.PostAsync($uri, $null).GetAwaiter().GetResult() } else { $client.GetAsync($uri).GetAwaiter().GetResult() }
        [pscustomobject]@{ Status = [int]$response.StatusCode; Body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult() }
    }
    finally { $client.Dispose() }
}

Export-ModuleMember -Function Get-SandboxRigSkipReason, Get-CardLoginSkipReason, Start-SandboxRig, Stop-SandboxRig, Invoke-SandboxGet
