using System.Runtime.InteropServices;
using System.Text;
using Ekeng.Rigs.SoftHsm;

namespace Ekeng.Tests.Pkcs11;

/// <summary>
/// A private SoftHSM2 token directory per test (a fresh ARMID-like card each time), with SOFTHSM2_CONF set in
/// libc's environment (libsofthsm2 reads getenv() at C_Initialize; .NET's copy would not reach it).
/// Tests that load SoftHSM share one collection: one PKCS#11 library per process, used by one test at a time.
/// </summary>
public sealed class SoftHsmCard : IDisposable
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string PukText = "86420975";

    public SoftHsmCard(string serial = "ec0a1d00")
    {
        Root = Path.Combine(Path.GetTempPath(), "ekeng-xunit-softhsm-" + Guid.NewGuid().ToString("N")[..8]);
        string tokens = Path.Combine(Root, "tokens");
        Directory.CreateDirectory(tokens);
        string conf = Path.Combine(Root, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        // The module keeps a library initialised for the life of the process (docs/ARCHITECTURE.md#pkcs11-one-library-per-process); a new token
        // directory needs a new C_Initialize, which only a test may force.
        Ekeng.Pkcs11.Pkcs11LibraryRegistry.FinalizeAllForTests();
        Setenv("SOFTHSM2_CONF", conf, 1);
        Ekeng.Pkcs11.NativeLoaderFix.Ensure();
        Card = SoftHsmCardFactory.Create(ModulePath, tokens, Encoding.UTF8.GetBytes(PukText), new RigHolder("ARMEN", "SARGSYAN", "0123456789"), serial);
    }

    public static bool Available => OperatingSystem.IsLinux() && File.Exists(ModulePath);

    public string Root { get; }

    public RigCard Card { get; }

    public void Dispose()
    {
        Ekeng.Pkcs11.Pkcs11LibraryRegistry.FinalizeAllForTests();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int Setenv(string name, string value, int overwrite);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoftHsmCollection
{
    public const string Name = "SoftHSM";
}
