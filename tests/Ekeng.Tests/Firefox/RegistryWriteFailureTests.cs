using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>
/// A registry write Windows refuses (RegSetValueEx's Win32 error, from the in-memory store: no Windows registry here)
/// is RegistryPolicyWriteFailed for that target, PermissionDenied for ERROR_ACCESS_DENIED (5) and WriteError otherwise,
/// and the run goes on (a ModuleResult, not an exception).
/// </summary>
public sealed class RegistryWriteFailureTests
{
    private const string Dll = @"C:\Program Files\CryptoTech\CryptoCard\CCPkiP11.dll";

    private static ModuleResult Set(FakeRegistry registry)
    {
        var service = new CryptoModuleService(new FakeEnvironment(OsPlatform.Windows, @"C:\Users\u", new() { ["ProgramFiles"] = @"C:\Program Files" }), null, new FakeProbe());
        return service.ForRegistry(MozillaApplication.Firefox, registry).Set(new CryptoModuleSpec("CryptoCard", Dll), (_, _) => true);
    }

    [Theory]
    [InlineData(5, EkengErrorKind.PermissionDenied)]
    [InlineData(1009, EkengErrorKind.WriteError)]
    public void A_Refused_Registry_Write_Is_RegistryPolicyWriteFailed(int win32Error, EkengErrorKind kind)
    {
        var registry = new FakeRegistry { FailWrites = win32Error };
        ModuleResult result = Set(registry);
        Assert.Equal("RegistryPolicyWriteFailed", result.Error?.ErrorId);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(@"HKLM\Software\Policies\Mozilla\Firefox\SecurityDevices\Add", result.Error.TargetObject);
        Assert.Equal(CryptoModuleStatus.Skipped, result.Module!.Status);
        Assert.Equal(0, registry.Writes);

        // The same store that accepts writes takes the policy.
        registry.FailWrites = null;
        Assert.Null(Set(registry).Error);
        Assert.Equal(1, registry.Writes);
    }
}
