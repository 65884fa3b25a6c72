<#
.SYNOPSIS
    Writes the MAML help of the built module from module/en-US/help/<Cmdlet>.psd1 and the cmdlets' metadata.
.DESCRIPTION
    Run in a fresh pwsh (build.ps1 does): imports the module from -ModulePath, reads each exported cmdlet's
    parameters and parameter sets, merges the text of its help source file, and writes
    <ModulePath>/en-US/Ekeng.PowerShell.dll-Help.xml. Fails when a cmdlet has no help source, or its source
    lacks a synopsis, a description, an example or the description of a parameter.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$module = Import-Module $ModulePath -PassThru -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$problems = [System.Collections.Generic.List[string]]::new()
$shouldProcess = @('WhatIf', 'Confirm')
$shouldProcessText = @{
    WhatIf  = 'Shows what the command would do, without doing it: nothing is sent to a card, a service or a file, and no secret is asked for.'
    Confirm = 'Asks for confirmation before each change. -Confirm:$false never asks (for scripts and non-interactive sessions).'
}

# The default of a parameter: the help source's Defaults entry, else the value a new instance of the cmdlet holds.
function DefaultValue($cmd, [string] $name, $doc) {
    if ($doc['Defaults'] -and $doc.Defaults.ContainsKey($name)) { return [string]$doc.Defaults[$name] }
    $instance = [System.Activator]::CreateInstance($cmd.ImplementingType)
    $property = $cmd.ImplementingType.GetProperty($name)
    if (-not $property) { return '' }
    $value = $property.GetValue($instance)
    if ($null -eq $value -or $value -is [System.Management.Automation.SwitchParameter] -or ($value -is [bool] -and -not $value)) { return '' }
    [string]$value
}

function Esc([object] $text) { [System.Security.SecurityElement]::Escape([string]$text) }

function Paras([string] $text) {
    ($text -split "\r?\n\r?\n" | ForEach-Object { "<maml:para>$(Esc $_.Trim())</maml:para>" }) -join ''
}

function PipelineInput($p) {
    $kinds = @()
    if ($p.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($p.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function TypeName([type] $t) {
    if ($t -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $t.Name
}

$sb = [System.Text.StringBuilder]::new()
[void]$sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void]$sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')

foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $file = Join-Path $SourcePath "$($cmd.Name).psd1"
    if (-not (Test-Path -LiteralPath $file)) { $problems.Add("$($cmd.Name): no help source $file"); continue }
    $doc = Import-PowerShellDataFile -LiteralPath $file
    foreach ($key in 'Synopsis', 'Description') {
        if (-not $doc[$key]) { $problems.Add("$($cmd.Name): no $key") }
    }
    if (-not $doc['Examples']) { $problems.Add("$($cmd.Name): no example") }
    $paramDocs = if ($doc['Parameters']) { $doc['Parameters'] } else { @{} }
    $parameters = $cmd.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $parameters) {
        if (-not $paramDocs[$p.Name]) { $problems.Add("$($cmd.Name): parameter -$($p.Name) is not described") }
    }
    foreach ($name in $paramDocs.Keys) {
        if ($name -notin $parameters.Name) { $problems.Add("$($cmd.Name): help describes -$name, which the cmdlet does not have") }
    }

    $verb, $noun = $cmd.Name -split '-', 2
    [void]$sb.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    [void]$sb.AppendLine("<command:details><command:name>$(Esc $cmd.Name)</command:name><command:verb>$verb</command:verb><command:noun>$noun</command:noun><maml:description>$(Paras $doc.Synopsis)</maml:description></command:details>")
    [void]$sb.AppendLine("<maml:description>$(Paras $doc.Description)</maml:description>")

    [void]$sb.AppendLine('<command:syntax>')
    foreach ($set in $cmd.ParameterSets) {
        [void]$sb.Append("<command:syntaxItem><maml:name>$(Esc $cmd.Name)</maml:name>")
        # Common parameters stay out of the syntax, except -WhatIf and -Confirm, which say that the command changes state.
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common -or $_.Name -in $shouldProcess }) {
            $pos = if ($sp.Position -ge 0) { $sp.Position } else { 'named' }
            [void]$sb.Append("<command:parameter required=`"$($sp.IsMandatory.ToString().ToLower())`" position=`"$pos`" pipelineInput=`"$(PipelineInput $sp)`"><maml:name>$($sp.Name)</maml:name>")
            if ($sp.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                [void]$sb.Append("<command:parameterValue required=`"true`">$(Esc (TypeName $sp.ParameterType))</command:parameterValue>")
            }
            [void]$sb.Append('</command:parameter>')
        }
        [void]$sb.AppendLine('</command:syntaxItem>')
    }
    [void]$sb.AppendLine('</command:syntax>')

    [void]$sb.AppendLine('<command:parameters>')
    foreach ($p in $parameters | Sort-Object Name) {
        $attr = @($p.ParameterSets.Values)
        $mandatory = [bool]($attr | Where-Object IsMandatory)
        $position = ($attr | Where-Object { $_.Position -ge 0 } | Select-Object -First 1)
        $pos = if ($position) { $position.Position } else { 'named' }
        $byValue = [bool]($attr | Where-Object ValueFromPipeline)
        $byName = [bool]($attr | Where-Object ValueFromPipelineByPropertyName)
        $pipe = @(); if ($byValue) { $pipe += 'ByValue' }; if ($byName) { $pipe += 'ByPropertyName' }
        $pipeText = if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' }
        $globbing = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $aliases = if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }
        [void]$sb.Append("<command:parameter required=`"$($mandatory.ToString().ToLower())`" globbing=`"$($globbing.ToString().ToLower())`" pipelineInput=`"$pipeText`" position=`"$pos`" aliases=`"$(Esc $aliases)`">")
        [void]$sb.Append("<maml:name>$($p.Name)</maml:name><maml:description>$(Paras ([string]$paramDocs[$p.Name]))</maml:description>")
        [void]$sb.Append("<command:parameterValue required=`"$(($p.ParameterType -ne [System.Management.Automation.SwitchParameter]).ToString().ToLower())`">$(Esc (TypeName $p.ParameterType))</command:parameterValue>")
        [void]$sb.AppendLine("<dev:type><maml:name>$(Esc $p.ParameterType.FullName)</maml:name></dev:type><dev:defaultValue>$(Esc (DefaultValue $cmd $p.Name $doc))</dev:defaultValue></command:parameter>")
    }
    foreach ($name in $shouldProcess | Where-Object { $cmd.Parameters.ContainsKey($_) }) {
        [void]$sb.Append("<command:parameter required=`"false`" globbing=`"false`" pipelineInput=`"False`" position=`"named`" aliases=`"$(if ($name -eq 'WhatIf') { 'wi' } else { 'cf' })`">")
        [void]$sb.Append("<maml:name>$name</maml:name><maml:description>$(Paras $shouldProcessText[$name])</maml:description>")
        [void]$sb.AppendLine("<command:parameterValue required=`"false`">SwitchParameter</command:parameterValue><dev:type><maml:name>System.Management.Automation.SwitchParameter</maml:name></dev:type><dev:defaultValue>False</dev:defaultValue></command:parameter>")
    }
    [void]$sb.AppendLine('</command:parameters>')

    $inputs = @($parameters | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } } | ForEach-Object { $_.ParameterType.FullName } | Select-Object -Unique)
    [void]$sb.Append('<command:inputTypes>')
    foreach ($t in $inputs) { [void]$sb.Append("<command:inputType><dev:type><maml:name>$(Esc $t)</maml:name></dev:type></command:inputType>") }
    [void]$sb.AppendLine('</command:inputTypes>')

    $outputs = @($cmd.OutputType | ForEach-Object Name)
    if ($doc['Outputs']) { $outputs = @($doc.Outputs) }
    [void]$sb.Append('<command:returnValues>')
    foreach ($t in $outputs) { [void]$sb.Append("<command:returnValue><dev:type><maml:name>$(Esc $t)</maml:name></dev:type></command:returnValue>") }
    [void]$sb.AppendLine('</command:returnValues>')

    if ($doc['Notes']) { [void]$sb.AppendLine("<maml:alertSet><maml:alert>$(Paras $doc.Notes)</maml:alert></maml:alertSet>") }

    [void]$sb.AppendLine('<command:examples>')
    $i = 0
    foreach ($example in @($doc['Examples'])) {
        $i++
        [void]$sb.AppendLine("<command:example><maml:title>-------------------------- Example $i --------------------------</maml:title><dev:code>$(Esc $example.Code)</dev:code><dev:remarks>$(Paras $example.Remarks)</dev:remarks></command:example>")
    }
    [void]$sb.AppendLine('</command:examples>')

    [void]$sb.Append('<command:relatedLinks>')
    foreach ($link in @($doc['Links'])) { if ($link) { [void]$sb.Append("<maml:navigationLink><maml:linkText>$(Esc $link)</maml:linkText></maml:navigationLink>") } }
    [void]$sb.AppendLine('</command:relatedLinks>')
    [void]$sb.AppendLine('</command:command>')
}
[void]$sb.AppendLine('</helpItems>')

if ($problems.Count) {
    throw "Help is incomplete:`n  " + ($problems -join "`n  ")
}
$target = Join-Path $ModulePath 'en-US'
New-Item -ItemType Directory -Force -Path $target | Out-Null
$xml = [xml]$sb.ToString()   # fails here on malformed output
$file = Join-Path $target 'Ekeng.PowerShell.dll-Help.xml'
[System.IO.File]::WriteAllText($file, $sb.ToString(), [System.Text.UTF8Encoding]::new($false))
Write-Verbose "Help for $(@($xml.helpItems.command).Count) cmdlet(s) written to $file"
