#requires -Version 7.2
<#
.SYNOPSIS
    The PKCS#11 rig: an ARMID-like card made of two SoftHSM2 tokens, in a private token directory.

.DESCRIPTION
    New-SoftHsmCard writes a private softhsm2.conf (objectstore.backend = file, tokendir in a temp folder) and
    runs tests/rigs/SoftHsmTokens, which creates the tokens 'ARMID (AuthPIN)' and 'ARMID (SignPIN)' through
    C_InitToken with SO PIN = the PUK, generates on each a NON-extractable RSA-2048 key pair, stores a
    certificate from a test CA it generates (subject: holder's Latin name and a 10-digit public service
    number), and leaves the user PIN NOT initialised (how, and why it needs a token-file edit: see
    SoftHsmTokens/SoftHsmCardFactory.cs). Copy-SoftHsmCard gives a fresh copy of a card in no time (a copy of
    the token directory), for runs that need many untouched cards (the bench).

    SOFTHSM2_CONF is set in BOTH copies of the environment: .NET's (child processes such as pkcs11-tool) and
    libc's (libsofthsm2 loaded into this process reads getenv() at each C_Initialize; a .NET-only variable
    would not reach it). The module keeps its PKCS#11 library initialised for the process; Use-SoftHsmCard
    finalises it through the test-only hook (Reset-Pkcs11Library), so a card switched is seen by the next command.
    New-SoftHsmCard -SignPuk gives the SignPIN token a PUK of its own; -TokenSuffixes and Join-SoftHsmCards make two
    cards inserted at once (same labels, different serials).
#>

Set-StrictMode -Version 3.0

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$script:ToolProject = Join-Path $PSScriptRoot 'SoftHsmTokens/SoftHsmTokens.csproj'
$script:ToolOut = Join-Path $script:RepoRoot 'out/rigs/SoftHsmTokens'
$script:ToolDll = $null
$script:ModuleCandidates = @('/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib64/pkcs11/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so')
$script:SavedConf = $null
$script:Cards = [System.Collections.Generic.List[object]]::new()

Import-Module (Join-Path $PSScriptRoot 'RigNative.psm1')
Import-Module (Join-Path $PSScriptRoot '../TestRun.psm1')

function Get-SoftHsmModulePath {
    <# .SYNOPSIS The path of libsofthsm2.so, or $null. #>
    foreach ($c in $script:ModuleCandidates) { if (Test-Path -LiteralPath $c) { return $c } }
    $null
}

function Get-SoftHsmRigSkipReason {
    <#
    .SYNOPSIS
        Why the rig cannot run here ('SKIPPED: ...', through tests/TestRun.psm1's skip rule), or $null.
    #>
    $reasons = @()
    if (-not (Get-SoftHsmModulePath)) { $reasons += 'libsofthsm2.so is not installed (apt-get install softhsm2)' }
    if (-not (Get-Command pkcs11-tool -ErrorAction Ignore)) { $reasons += 'pkcs11-tool is not installed (apt-get install opensc)' }
    if (-not $IsLinux) { $reasons += 'the SoftHSM rig runs on Linux' }
    Resolve-SkipReason $reasons
}

function Build-SoftHsmTokens {
    <# .SYNOPSIS Builds tests/rigs/SoftHsmTokens once (when its sources are newer than the dll) and returns the dll. #>
    [CmdletBinding()]
    param([switch]$Force)
    $dll = Join-Path $script:ToolOut 'SoftHsmTokens.dll'
    if (-not $Force -and $script:ToolDll -and (Test-Path -LiteralPath $dll)) { return $dll }
    $sources = @(Get-ChildItem -LiteralPath (Split-Path $script:ToolProject) -File -Include '*.cs', '*.csproj' -Recurse |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    $sources += Get-Item -LiteralPath (Join-Path $script:RepoRoot 'Directory.Packages.props')
    $newest = ($sources | Measure-Object -Property LastWriteTimeUtc -Maximum).Maximum
    if ($Force -or -not (Test-Path -LiteralPath $dll) -or (Get-Item -LiteralPath $dll).LastWriteTimeUtc -lt $newest) {
        $output = & dotnet build $script:ToolProject -c Release -o $script:ToolOut --nologo -v quiet --disable-build-servers 2>&1
        if ($LASTEXITCODE -ne 0) { throw "SoftHsmRig: building SoftHsmTokens failed ($LASTEXITCODE):`n$($output -join "`n")" }
    }
    $script:ToolDll = $dll
    $dll
}

function New-RigFolder {
    $root = Join-Path ([System.IO.Path]::GetTempPath()) ("ekeng-softhsm-{0}-{1}" -f $PID, [guid]::NewGuid().ToString('N').Substring(0, 8))
    $tokens = Join-Path $root 'tokens'
    New-Item -ItemType Directory -Force $tokens | Out-Null
    $conf = Join-Path $root 'softhsm2.conf'
    @(
        '# Written by tests/rigs/SoftHsmRig.psm1: a private SoftHSM2 token directory.'
        "directories.tokendir = $tokens"
        'objectstore.backend = file'
        'log.level = ERROR'
        'slots.removable = false'
        'slots.mechanisms = ALL'
        'library.reset_on_fork = false'
    ) | Set-Content -LiteralPath $conf -Encoding utf8NoBOM
    [pscustomobject]@{ Root = $root; Conf = $conf; TokenDirectory = $tokens }
}

function New-SoftHsmCard {
    <#
    .SYNOPSIS
        Creates an ARMID-like card (two SoftHSM tokens, user PINs not initialised) in a private token directory,
        makes it the current one (Use-SoftHsmCard) and returns its description.
    .PARAMETER Puk
        The SO PIN of both tokens (the card's Initial PUK), a SecureString.
    .PARAMETER SignPuk
        The SignPIN token's own SO PIN, when it must differ from the AuthPIN token's (per-token PUK tests).
    .PARAMETER TokenSuffixes
        The serial suffixes of the AuthPIN and SignPIN tokens (8 hex digits each). A second card meant to share a
        token directory with a first one (Join-SoftHsmCards) needs suffixes of its own: SoftHSM's slot ID is the
        serial's last 8 hex digits.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [securestring] $Puk,
        [securestring] $SignPuk,
        [ValidateCount(2, 2)] [ValidatePattern('^[0-9a-f]{8}$')] [string[]] $TokenSuffixes = @('c0000001', 'c0000002'),
        [string] $GivenName = 'ARMEN',
        [string] $Surname = 'SARGSYAN',
        [ValidatePattern('^[0-9]{10}$')] [string] $PublicServiceNumber = '1234567890',
        [ValidatePattern('^[0-9a-f]{8}$')] [string] $Serial = 'ec0a1d00',
        # Days from now to the end of both certificates' validity (default: 3 years).
        [ValidateRange(1, 3650)] [int] $ValidDays = 0,
        # The test CA's common name (default 'Ekeng Test Citizen CA'): two cards one sandbox trusts need different ones.
        [ValidatePattern('^[A-Za-z0-9 ]+$')] [string] $CaName
    )
    $module = Get-SoftHsmModulePath
    if (-not $module) { throw 'SoftHsmRig: libsofthsm2.so is not installed.' }
    $dll = Build-SoftHsmTokens
    $folder = New-RigFolder
    $out = Join-Path $folder.Root 'out'
    $saved = [System.Environment]::GetEnvironmentVariable('SOFTHSM2_CONF')
    try {
        [System.Environment]::SetEnvironmentVariable('SOFTHSM2_CONF', $folder.Conf)
        # The PUK reaches the child through its environment, never its command line (a test value in any case).
        [System.Environment]::SetEnvironmentVariable('EKENG_RIG_PUK', [System.Net.NetworkCredential]::new('', $Puk).Password)
        if ($SignPuk) { [System.Environment]::SetEnvironmentVariable('EKENG_RIG_SIGN_PUK', [System.Net.NetworkCredential]::new('', $SignPuk).Password) }
        $output = & dotnet $dll create --module $module --token-dir $folder.TokenDirectory --out $out --serial $Serial `
            --given $GivenName --surname $Surname --number $PublicServiceNumber --auth-suffix $TokenSuffixes[0] --sign-suffix $TokenSuffixes[1] @(if ($ValidDays -gt 0) { '--valid-days', "$ValidDays" }) @(if ($CaName) { '--ca-name', $CaName }) 2>&1
        if ($LASTEXITCODE -ne 0) { throw "SoftHsmRig: SoftHsmTokens failed ($LASTEXITCODE):`n$($output -join "`n")" }
    }
    finally {
        [System.Environment]::SetEnvironmentVariable('EKENG_RIG_PUK', [NullString]::Value)
        [System.Environment]::SetEnvironmentVariable('EKENG_RIG_SIGN_PUK', [NullString]::Value)
        [System.Environment]::SetEnvironmentVariable('SOFTHSM2_CONF', $saved)
    }
    $card = [pscustomobject]@{
        PSTypeName          = 'Ekeng.Rigs.SoftHsmCard'
        Root                = $folder.Root
        Conf                = $folder.Conf
        TokenDirectory      = $folder.TokenDirectory
        ModulePath          = $module
        AuthSerial          = "${Serial}$($TokenSuffixes[0])"
        SignSerial          = "${Serial}$($TokenSuffixes[1])"
        HolderName          = "$GivenName $Surname"
        PublicServiceNumber = $PublicServiceNumber
        CaCertificate       = Join-Path $out 'ca.cer'
        # The test CA as PEM, written by SoftHsmTokens: what the sandbox's --client-ca takes.
        CaPem               = Join-Path $out 'ca.pem'
        AuthCertificate     = Join-Path $out 'auth.cer'
        SignCertificate     = Join-Path $out 'sign.cer'
    }
    $script:Cards.Add($card)
    Use-SoftHsmCard -Card $card
    $card
}

function Copy-SoftHsmCard {
    <# .SYNOPSIS A fresh copy of a card (its token files, untouched state included) in a new private directory; made current. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [object] $Card)
    $folder = New-RigFolder
    foreach ($dir in Get-ChildItem -LiteralPath $Card.TokenDirectory -Directory) {
        Copy-Item -LiteralPath $dir.FullName -Destination $folder.TokenDirectory -Recurse
    }
    Copy-Item -LiteralPath (Join-Path $Card.Root 'out') -Destination $folder.Root -Recurse -ErrorAction Ignore
    $copy = $Card.PSObject.Copy()
    $copy.Root = $folder.Root; $copy.Conf = $folder.Conf; $copy.TokenDirectory = $folder.TokenDirectory
    foreach ($p in 'CaCertificate', 'CaPem', 'AuthCertificate', 'SignCertificate') { $copy.$p = Join-Path $folder.Root "out/$(Split-Path -Leaf $Card.$p)" }
    $script:Cards.Add($copy)
    Use-SoftHsmCard -Card $copy
    $copy
}

function Join-SoftHsmCards {
    <#
    .SYNOPSIS
        Two (or more) cards inserted at once: a new token directory holding copies of every card's tokens (same
        labels, different serials), made current. The cards must have been made with different -TokenSuffixes.
        Returns a rig card whose Cards property lists the cards joined.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [object[]] $Cards)
    $folder = New-RigFolder
    foreach ($card in $Cards) {
        foreach ($dir in Get-ChildItem -LiteralPath $card.TokenDirectory -Directory) {
            Copy-Item -LiteralPath $dir.FullName -Destination $folder.TokenDirectory -Recurse
        }
    }
    $joined = [pscustomobject]@{
        PSTypeName = 'Ekeng.Rigs.SoftHsmCard'; Root = $folder.Root; Conf = $folder.Conf; TokenDirectory = $folder.TokenDirectory
        ModulePath = $Cards[0].ModulePath; Cards = $Cards
    }
    $script:Cards.Add($joined)
    Use-SoftHsmCard -Card $joined
    $joined
}

function Reset-Pkcs11Library {
    <#
    .SYNOPSIS
        TESTS ONLY: finalises the PKCS#11 libraries the Ekeng module keeps initialised for the life of the process
        (docs/ARCHITECTURE.md#pkcs11-one-library-per-process), so that SoftHSM reads the new SOFTHSM2_CONF at its next C_Initialize. The module itself
        never does this; the rig reaches the internal method by reflection.
    #>
    $core = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Ekeng.Core' }
    foreach ($assembly in $core) {
        $type = $assembly.GetType('Ekeng.Pkcs11.Pkcs11LibraryRegistry')
        if ($type) { [void]$type.GetMethod('FinalizeAllForTests', [System.Reflection.BindingFlags]'NonPublic, Static').Invoke($null, @()) }
    }
}

function Use-SoftHsmCard {
    <# .SYNOPSIS Points SOFTHSM2_CONF (both environments) at the card's private configuration; the next PKCS#11 use reads it. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [object] $Card)
    if ($null -eq $script:SavedConf) { $script:SavedConf = [pscustomobject]@{ Value = [System.Environment]::GetEnvironmentVariable('SOFTHSM2_CONF') } }
    Reset-Pkcs11Library
    Set-ProcessEnvironment 'SOFTHSM2_CONF' $Card.Conf
}

function Invoke-Pkcs11Tool {
    <#
    .SYNOPSIS
        Runs OpenSC's pkcs11-tool against the card's SoftHSM (the independent checker) and returns its output
        lines; the exit code is in $LASTEXITCODE. Test values only may be passed as arguments.
    #>
    # A simple function (not advanced): every argument after -Card goes to pkcs11-tool as typed (-O, -L, ...).
    param([object] $Card)
    [string[]] $Arguments = $args
    $saved = [System.Environment]::GetEnvironmentVariable('SOFTHSM2_CONF')
    try {
        [System.Environment]::SetEnvironmentVariable('SOFTHSM2_CONF', $Card.Conf)
        & pkcs11-tool --module $Card.ModulePath @Arguments 2>&1 | ForEach-Object { "$_" }
    }
    finally { [System.Environment]::SetEnvironmentVariable('SOFTHSM2_CONF', $saved) }
}

function Remove-SoftHsmCard {
    <# .SYNOPSIS Deletes the card's folder (all cards of this session without -Card) and restores SOFTHSM2_CONF. #>
    [CmdletBinding()]
    param([object] $Card)
    $targets = if ($Card) { @($Card) } else { @($script:Cards) }
    foreach ($c in $targets) {
        if ($c.Root -and (Test-Path -LiteralPath $c.Root)) { Remove-Item -LiteralPath $c.Root -Recurse -Force -ErrorAction SilentlyContinue }
        [void]$script:Cards.Remove($c)
    }
    if ($script:Cards.Count -eq 0 -and $null -ne $script:SavedConf) {
        Reset-Pkcs11Library
        Set-ProcessEnvironment 'SOFTHSM2_CONF' $script:SavedConf.Value
        $script:SavedConf = $null
    }
}

function Set-NativeEnvironment {
    <# .SYNOPSIS Sets (or with $null removes) a variable in .NET's AND libc's environment of this process. #>
    param([Parameter(Mandatory)] [string] $Name, [object] $Value)
    Set-ProcessEnvironment $Name $Value
}

Export-ModuleMember -Function Join-SoftHsmCards, Reset-Pkcs11Library, Set-NativeEnvironment, Get-SoftHsmModulePath, Get-SoftHsmRigSkipReason, Build-SoftHsmTokens, New-SoftHsmCard, Copy-SoftHsmCard, Use-SoftHsmCard, Invoke-Pkcs11Tool, Remove-SoftHsmCard
