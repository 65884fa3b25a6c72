# A PowerShell host for tests: interactive (it answers prompts from a script of answers) and it records every
# line written through its UI, so that a test can prove what the user would have seen.
using namespace System.Management.Automation
using namespace System.Management.Automation.Host

[NoRunspaceAffinity()]
class ScriptedHostUI : PSHostUserInterface {
    [System.Collections.Generic.Queue[string]] $Answers = [System.Collections.Generic.Queue[string]]::new()
    [System.Collections.Generic.List[string]] $Written = [System.Collections.Generic.List[string]]::new()
    [int] $SecretPrompts = 0

    [PSHostRawUserInterface] get_RawUI() { return $null }
    [string] ReadLine() { return $this.Answers.Dequeue() }
    [System.Security.SecureString] ReadLineAsSecureString() {
        $this.SecretPrompts++
        $s = [System.Security.SecureString]::new()
        foreach ($c in $this.Answers.Dequeue().ToCharArray()) { $s.AppendChar($c) }
        return $s
    }
    [void] Write([string] $value) { $this.Written.Add($value) }
    [void] Write([System.ConsoleColor] $f, [System.ConsoleColor] $b, [string] $value) { $this.Written.Add($value) }
    [void] WriteLine([string] $value) { $this.Written.Add($value) }
    [void] WriteErrorLine([string] $value) { $this.Written.Add($value) }
    [void] WriteDebugLine([string] $value) { $this.Written.Add($value) }
    [void] WriteProgress([long] $sourceId, [ProgressRecord] $record) { }
    [void] WriteVerboseLine([string] $value) { $this.Written.Add($value) }
    [void] WriteWarningLine([string] $value) { $this.Written.Add($value) }
    [System.Collections.Generic.Dictionary[string, PSObject]] Prompt([string] $caption, [string] $message, [System.Collections.ObjectModel.Collection[FieldDescription]] $descriptions) { throw 'not scripted' }
    [PSCredential] PromptForCredential([string] $caption, [string] $message, [string] $userName, [string] $targetName) { throw 'not scripted' }
    [PSCredential] PromptForCredential([string] $caption, [string] $message, [string] $userName, [string] $targetName, [PSCredentialTypes] $allowedCredentialTypes, [PSCredentialUIOptions] $options) { throw 'not scripted' }
    [int] PromptForChoice([string] $caption, [string] $message, [System.Collections.ObjectModel.Collection[ChoiceDescription]] $choices, [int] $defaultChoice) {
        $this.Written.Add("CHOICE: $caption $message")
        return [int]$this.Answers.Dequeue()
    }
}

[NoRunspaceAffinity()]
class ScriptedHost : PSHost {
    [ScriptedHostUI] $ScriptedUI = [ScriptedHostUI]::new()
    [guid] $Id = [guid]::NewGuid()
    [string] get_Name() { return 'EkengScriptedHost' }
    [version] get_Version() { return [version]'1.0' }
    [guid] get_InstanceId() { return $this.Id }
    [PSHostUserInterface] get_UI() { return $this.ScriptedUI }
    [System.Globalization.CultureInfo] get_CurrentCulture() { return [System.Globalization.CultureInfo]::InvariantCulture }
    [System.Globalization.CultureInfo] get_CurrentUICulture() { return [System.Globalization.CultureInfo]::InvariantCulture }
    [void] SetShouldExit([int] $exitCode) { }
    [void] EnterNestedPrompt() { }
    [void] ExitNestedPrompt() { }
    [void] NotifyBeginApplication() { }
    [void] NotifyEndApplication() { }
}

function Invoke-WithScriptedHost {
    <#
    .SYNOPSIS
        Runs a script in a new runspace whose host answers prompts with -Answers, in order. Returns the host (its
        ScriptedUI.Written lines and prompt count), the output, and every record of every stream.
    #>
    param([Parameter(Mandatory)] [string] $Script, [string[]] $Answers = @(), [hashtable] $Variables = @{})
    $hostObject = [ScriptedHost]::new()
    foreach ($a in $Answers) { $hostObject.ScriptedUI.Answers.Enqueue($a) }
    $runspace = [runspacefactory]::CreateRunspace($hostObject)
    $runspace.Open()
    try {
        foreach ($k in $Variables.Keys) { $runspace.SessionStateProxy.SetVariable($k, $Variables[$k]) }
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $null = $ps.AddScript($Script)
        $output = $ps.Invoke()
        [pscustomobject]@{
            Host    = $hostObject
            Output  = @($output)
            Errors  = @($ps.Streams.Error)
            Streams = @($ps.Streams.Error) + @($ps.Streams.Warning) + @($ps.Streams.Verbose) + @($ps.Streams.Debug) + @($ps.Streams.Information)
        }
        $ps.Dispose()
    }
    finally { $runspace.Dispose() }
}

Export-ModuleMember -Function Invoke-WithScriptedHost
