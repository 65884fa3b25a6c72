using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using Ekeng.PowerShell.Infrastructure;
using PS = System.Management.Automation.PowerShell;

namespace Ekeng.Tests.Hosting;

/// <summary>A cmdlet that prompts for a secret through the one secret helper, then waits until it is stopped (or not).</summary>
[Cmdlet("Test", "EkengSecretPrompt")]
public sealed class TestEkengSecretPromptCommand : EkengCmdlet
{
    [Parameter]
    public SwitchParameter WaitUntilStopped { get; set; }

    /// <summary>Set once the prompt has returned and the command waits to be stopped.</summary>
    public static ManualResetEventSlim Waiting { get; } = new();

    /// <summary>What the command saw once stopped: was its prompted secret disposed while it still ran?</summary>
    public static bool? DisposedWhileStopping { get; private set; }

    protected override void ProcessRecord()
    {
        SecureString secret = Secrets.Prompt("PIN");
        WriteObject(secret.Length);
        if (WaitUntilStopped)
        {
            DisposedWhileStopping = null;
            Waiting.Set();
            CancelToken.WaitHandle.WaitOne();

            // Only StopProcessing can dispose it now (this method has not returned, so EndProcessing has not run);
            // it cancels first, then disposes: wait for that, within a generous deadline.
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (!SecretInputTests.IsDisposed(secret) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            DisposedWhileStopping = SecretInputTests.IsDisposed(secret);
        }
    }
}

/// <summary>
/// The one secret helper (<see cref="SecretInput"/>) disposes what it prompted for when the command ends AND when it is
/// stopped (Ctrl+C, a pipeline stopped): a prompted PIN does not outlive the command in memory.
/// </summary>
public sealed class SecretInputTests
{
    private static (PS Shell, PromptingHost Host, Runspace Runspace) CreateShell()
    {
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.Commands.Add(new SessionStateCmdletEntry("Test-EkengSecretPrompt", typeof(TestEkengSecretPromptCommand), null));
        var host = new PromptingHost();
        Runspace runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        PS ps = PS.Create();
        ps.Runspace = runspace;
        return (ps, host, runspace);
    }

    internal static bool IsDisposed(SecureString s)
    {
        try
        {
            _ = s.Length;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    [Fact]
    public void A_Prompted_Secret_Is_Disposed_When_The_Command_Ends()
    {
        (PS ps, PromptingHost host, Runspace runspace) = CreateShell();
        using (runspace)
        using (ps)
        {
            var output = ps.AddCommand("Test-EkengSecretPrompt").Invoke();
            Assert.Equal(8, Assert.Single(output).BaseObject);
            SecureString issued = Assert.Single(host.PromptingUI.Issued);
            Assert.True(IsDisposed(issued));
        }
    }

    [Fact]
    public void A_Prompted_Secret_Is_Disposed_When_The_Command_Is_Stopped()
    {
        (PS ps, PromptingHost host, Runspace runspace) = CreateShell();
        using (runspace)
        using (ps)
        {
            TestEkengSecretPromptCommand.Waiting.Reset();
            ps.AddCommand("Test-EkengSecretPrompt").AddParameter("WaitUntilStopped");
            IAsyncResult running = ps.BeginInvoke();
            Assert.True(TestEkengSecretPromptCommand.Waiting.Wait(TimeSpan.FromMinutes(2)), "the command never prompted");
            SecureString issued;
            lock (host.PromptingUI.Issued)
            {
                issued = Assert.Single(host.PromptingUI.Issued);
            }

            Assert.False(IsDisposed(issued));
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
            Assert.True(TestEkengSecretPromptCommand.DisposedWhileStopping, "the prompted secret was not disposed by StopProcessing");
            Assert.True(IsDisposed(issued));
        }
    }
}
