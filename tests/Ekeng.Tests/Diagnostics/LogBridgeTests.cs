using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using Ekeng.Diagnostics;
using Ekeng.PowerShell.Infrastructure;
using Ekeng.Security;
using Microsoft.Extensions.Logging;
using PS = System.Management.Automation.PowerShell;

namespace Ekeng.Tests.Diagnostics;

/// <summary>A cmdlet whose "service" logs carelessly from a worker thread, to test the base class's bridge.</summary>
[Cmdlet("Test", "EkengBridge")]
public sealed class TestEkengBridgeCommand : EkengCmdlet
{
    [Parameter(Mandatory = true)]
    public SecureString Secret { get; set; } = null!;

    [Parameter]
    public SwitchParameter Fail { get; set; }

    [Parameter]
    public SwitchParameter FailInService { get; set; }

    protected override void ProcessRecord()
    {
        ILogger logger = CreateLogger<TestEkengBridgeCommand>();
        int pipelineThread = Environment.CurrentManagedThreadId;
        int workerThread;
        try
        {
            workerThread = RunService(_ =>
        {
            Secret.UseChars(c =>
            {
                string leaked = new string(c);
                logger.LogDebug("debug sees {Value}", leaked);
                logger.LogInformation("info sees {Value}", leaked);
                logger.LogWarning("warn sees {Value}", leaked);
                return 0;
            });
            if (FailInService)
            {
                throw new EkengException(new EkengError("ServiceFailed", EkengErrorKind.DeviceError, "Run it again."), "The worker failed.");
            }

            return Environment.CurrentManagedThreadId;
        });
        }
        catch (EkengException e)
        {
            ThrowEkengError(e);
            throw; // not reached: ThrowEkengError always throws
        }

        WriteObject(workerThread != pipelineThread);
        if (Fail)
        {
            var error = new EkengException(new EkengError("BridgeFailed", EkengErrorKind.InvalidData, "Run it again."), "The service failed.");
            error.RecommendedAction = "Do something else.";
            ThrowEkengError(error);
        }
    }
}

public sealed class LogBridgeTests
{
    private const string SecretValue = "0072-secret";

    private static PS CreateShell()
    {
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.Commands.Add(new SessionStateCmdletEntry("Test-EkengBridge", typeof(TestEkengBridgeCommand), null));
        PS ps = PS.Create(iss);
        return ps;
    }

    [Fact]
    public void Messages_From_A_Worker_Thread_Reach_Verbose_Debug_And_Warning_With_The_Secret_Masked()
    {
        using PS ps = CreateShell();
        ps.AddScript($"$s = ConvertTo-SecureString '{SecretValue}' -AsPlainText -Force; $DebugPreference = 'Continue'; Test-EkengBridge -Secret $s -Verbose");

        var output = ps.Invoke();

        Assert.False(ps.HadErrors, string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        Assert.True((bool)output.Single().BaseObject, "the service ran on another thread");
        Assert.Contains(ps.Streams.Debug, r => r.Message == "debug sees ***");
        Assert.Contains(ps.Streams.Verbose, r => r.Message == "info sees ***");
        Assert.Contains(ps.Streams.Warning, r => r.Message == "warn sees ***");
        IEnumerable<string> all = ps.Streams.Debug.Select(r => r.Message)
            .Concat(ps.Streams.Verbose.Select(r => r.Message))
            .Concat(ps.Streams.Warning.Select(r => r.Message));
        Assert.DoesNotContain(all, m => m.Contains(SecretValue, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_Verbose_And_Debug_Only_Warnings_Show()
    {
        using PS ps = CreateShell();
        ps.AddScript($"$s = ConvertTo-SecureString '{SecretValue}' -AsPlainText -Force; Test-EkengBridge -Secret $s");

        ps.Invoke();

        Assert.Empty(ps.Streams.Verbose);
        Assert.Empty(ps.Streams.Debug);
        Assert.Single(ps.Streams.Warning);
    }

    [Fact]
    public void A_Service_Error_Becomes_An_ErrorRecord_With_Its_Stable_Id_And_Category()
    {
        using PS ps = CreateShell();
        ps.AddScript($"$s = ConvertTo-SecureString '{SecretValue}' -AsPlainText -Force; try {{ Test-EkengBridge -Secret $s -Fail -ErrorAction Stop }} catch {{ $_ }}");

        ErrorRecord record = (ErrorRecord)ps.Invoke().Last().BaseObject;

        Assert.Equal("BridgeFailed,Ekeng.Tests.Diagnostics.TestEkengBridgeCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, record.CategoryInfo.Category);
        Assert.Equal("Do something else.", record.ErrorDetails.RecommendedAction);
        Assert.IsType<EkengException>(record.Exception);
    }

    [Fact]
    public void An_Error_On_The_Worker_Thread_Keeps_Its_Id_Not_An_AggregateException()
    {
        using PS ps = CreateShell();
        ps.AddScript($"$s = ConvertTo-SecureString '{SecretValue}' -AsPlainText -Force; try {{ Test-EkengBridge -Secret $s -FailInService -ErrorAction Stop }} catch {{ $_ }}");

        ErrorRecord record = (ErrorRecord)ps.Invoke().Last().BaseObject;

        Assert.Equal("ServiceFailed,Ekeng.Tests.Diagnostics.TestEkengBridgeCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.DeviceError, record.CategoryInfo.Category);
        Assert.Single(ps.Streams.Warning);
    }
}
