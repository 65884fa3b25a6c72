using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Ekeng.Tests.Hosting;

/// <summary>A host whose UI answers every secret prompt with a fresh SecureString and keeps it, so a test can see whether the command disposed it.</summary>
public sealed class PromptingHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();

    public PromptingUI PromptingUI { get; } = new();

    public override string Name => "EkengPromptingHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId => _id;

    public override PSHostUserInterface UI => PromptingUI;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void SetShouldExit(int exitCode)
    {
    }

    public override void EnterNestedPrompt()
    {
    }

    public override void ExitNestedPrompt()
    {
    }

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}

/// <summary>The UI of <see cref="PromptingHost"/>.</summary>
public sealed class PromptingUI : PSHostUserInterface
{
    public List<SecureString> Issued { get; } = new();

    public ManualResetEventSlim Prompted { get; } = new();

    public override PSHostRawUserInterface RawUI => null!;

    public override SecureString ReadLineAsSecureString()
    {
        var secret = new SecureString();
        foreach (char c in "73915284")
        {
            secret.AppendChar(c);
        }

        lock (Issued)
        {
            Issued.Add(secret);
        }

        Prompted.Set();
        return secret;
    }

    public override string ReadLine() => string.Empty;

    public override void Write(string value)
    {
    }

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
    {
    }

    public override void WriteLine(string value)
    {
    }

    public override void WriteErrorLine(string value)
    {
    }

    public override void WriteDebugLine(string message)
    {
    }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override void WriteVerboseLine(string message)
    {
    }

    public override void WriteWarningLine(string message)
    {
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();
}
