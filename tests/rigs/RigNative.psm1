# What the rigs share: the process environment seen by .NET AND by native libraries (libc's copy), signals,
# process checks and the dotnet host. Imported by PcscRig.psm1, SoftHsmRig.psm1 and the other rigs.
Set-StrictMode -Version 3
$script:Libc = $null

function Get-Libc {
    # setenv/unsetenv/kill through a P/Invoke type emitted at run time (~30 ms; Add-Type ~1.2 s).
    if ($null -eq $script:Libc) {
        $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly(
            [System.Reflection.AssemblyName]::new('EkengRig.Native'), [System.Reflection.Emit.AssemblyBuilderAccess]::Run)
        $builder = $assembly.DefineDynamicModule('EkengRig.Native').DefineType('EkengRig.Libc', 'Public, Abstract, Sealed, Class')
        $signatures = @(
            @('setenv', [int], [type[]]@([string], [string], [int])),
            @('unsetenv', [int], [type[]]@([string])),
            @('kill', [int], [type[]]@([int], [int]))
        )
        foreach ($s in $signatures) {
            $method = $builder.DefinePInvokeMethod($s[0], 'libc', 'Public, Static, PinvokeImpl',
                'Standard', $s[1], $s[2], [System.Runtime.InteropServices.CallingConvention]::Cdecl,
                [System.Runtime.InteropServices.CharSet]::Ansi)
            $method.SetImplementationFlags('PreserveSig')
        }
        $script:Libc = $builder.CreateType()
    }
    $script:Libc
}

function Set-ProcessEnvironment([string]$Name, [object]$Value) {
    # Both copies: .NET's (children) and libc's (libraries loaded in this process, e.g. libpcsclite).
    # $null or '' removes the variable ([object], not [string]: PowerShell would turn $null into '').
    $libc = Get-Libc
    if ([string]::IsNullOrEmpty($Value)) {
        [System.Environment]::SetEnvironmentVariable($Name, [NullString]::Value) # a plain $null would arrive as ''
        [void]$libc::unsetenv($Name)
    }
    else {
        [System.Environment]::SetEnvironmentVariable($Name, [string]$Value)
        [void]$libc::setenv($Name, [string]$Value, 1)
    }
}

function Send-Signal([int]$ProcessId, [int]$Signal) {
    [void](Get-Libc)::kill($ProcessId, $Signal)
}

function Test-ProcessAlive([int]$ProcessId) {
    if ($ProcessId -le 0) { return $false }
    $status = "/proc/$ProcessId/status"
    if (-not (Test-Path -LiteralPath $status)) { return $false }
    # a zombie has exited already
    -not ((Get-Content -LiteralPath $status -TotalCount 3 -ErrorAction SilentlyContinue) -match '^State:\s+Z')
}

function Get-CommandPath([string]$Name) {
    $command = Get-Command -Name $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($command) { $command.Source } else { $null }
}

function Get-DotnetPath {
    $processPath = [System.Environment]::ProcessPath
    if ($processPath -and [System.IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') { return $processPath }
    if ($env:DOTNET_HOST_PATH -and (Test-Path -LiteralPath $env:DOTNET_HOST_PATH)) { return $env:DOTNET_HOST_PATH }
    $dotnet = Get-CommandPath 'dotnet'
    if (-not $dotnet) { throw 'dotnet was not found (needed to build and run the rigs'' helper programs).' }
    $dotnet
}

Export-ModuleMember -Function Get-Libc, Set-ProcessEnvironment, Send-Signal, Test-ProcessAlive, Get-CommandPath, Get-DotnetPath
