using System.Text.RegularExpressions;
using Ekeng.Crm;
using Ekeng.Http;
using Ekeng.Testing.Rig;
using Microsoft.Extensions.Logging;

namespace Ekeng.Tls.Tests;

/// <summary>
/// What a CRM command starts before its contract probe (ClientCertificateHandlers.Prepare, through CardLogin.PrepareAsync):
/// the TLS engine with the token's library and the replies' JSON contracts. Each part must really be done ahead (a
/// failure would only be logged at Debug level, and the login would then pay for it in full), and nothing is logged in.
/// </summary>
[Collection(TokenRigCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoginPreparationTests(TokenRig rig)
{
    [SkippableFact]
    public void The_Json_Contracts_Of_The_Crm_Replies_Are_Built_Ahead_Without_A_Failure()
    {
        var logger = new LineLogger();
        ClientCertificateHandlers.Prepare(null, logger, CrmClient.BodyTypes).Wait(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(logger.Lines, l => l.Contains("did not succeed"));
    }

    [SkippableFact]
    public void The_Engine_Starts_Ahead_With_The_Tokens_Library_And_Logs_In_Nothing()
    {
        rig.Require();

        var logger = new LineLogger();
        string spy = rig.Spy(() => ClientCertificateHandlers.Prepare(rig.ModulePath, logger, CrmClient.BodyTypes).Wait(TimeSpan.FromMinutes(1)));
        Assert.DoesNotContain(logger.Lines, l => l.Contains("did not succeed") || l.Contains("was not started ahead"));
        Assert.Empty(Regex.Matches(spy, @"C_Login\b"));
    }
}
