using Ekeng.Http;
using Microsoft.Extensions.Logging;

namespace Ekeng.Crm.Tests.Http;

/// <summary>
/// The process's one read of the system trust store, started ahead of the first TLS handshake (Import-Module starts it):
/// once per process, on Linux only, and a failure is only logged.
/// </summary>
public sealed class TrustStoreWarmUpTests
{
    [SkippableFact]
    public void Starts_Once_Per_Process_And_Ends_Without_A_Failure_On_Linux()
    {
        Requires.Linux();
        var logger = new LineLogger();
        Task first = TrustStoreWarmUp.Start(logger);
        Task second = TrustStoreWarmUp.Start(logger);
        Assert.Same(first, second);
        Assert.True(TrustStoreWarmUp.Started);
        Assert.True(first.Wait(TimeSpan.FromMinutes(1)), "the chain build did not end");
        Assert.Empty(logger.Lines);
    }
}
