<#
.SYNOPSIS
    Packs the built module folder into a .nupkg that a PSResourceGet repository accepts.
.DESCRIPTION
    Uses PSResourceGet's Compress-PSResource (shipped with PowerShell 7.4+), so the package is exactly what
    Publish-PSResource would push: install it with Register-PSResourceRepository on a folder + Install-PSResource.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutPath
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet
$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'Ekeng.psd1')
$target = Join-Path $OutPath 'packages'
New-Item -ItemType Directory -Force $target | Out-Null
Get-ChildItem $target -Filter 'Ekeng.*.nupkg' | Remove-Item
Compress-PSResource -Path $ModulePath -DestinationPath $target
$package = Get-ChildItem $target -Filter "Ekeng.$($manifest.ModuleVersion).nupkg"
if (-not $package) { throw "No package Ekeng.$($manifest.ModuleVersion).nupkg was written to $target." }
Write-Host "   $($package.FullName) ($([math]::Round($package.Length / 1KB)) KiB)"
