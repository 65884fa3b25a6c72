using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ekeng.Rigs.SoftHsm;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Testing.Rig;

/// <summary>
/// ONE ARMID-like SoftHSM2 card for the whole test process, PINs activated (C_Login(SO, PUK) + C_InitPIN) through
/// Pkcs11Interop BEFORE OpenSSL's engine loads the library, then never touched by Pkcs11Interop again: the engine
/// keeps the library initialised for the life of the process (docs/ARCHITECTURE.md#pkcs11-one-library-per-process). The engine's MODULE_PATH is OpenSC's
/// pkcs11-spy wrapping SoftHSM, so every test can read what was asked of the token.
/// </summary>
public sealed class TokenRig : IDisposable
{
    public const string SoftHsmPath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string EnginePath = "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so";
    public const string PukText = "86420975";
    public const string AuthPinText = "24681357";
    public const string SignPinText = "13572468";
    public static readonly string[] SpyCandidates = ["/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so", "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so"];
    private readonly object _spyGate = new();

    public TokenRig()
    {
        SpyPath = SpyCandidates.FirstOrDefault(File.Exists);
        Available = OperatingSystem.IsLinux() && File.Exists(SoftHsmPath) && SpyPath != null;
        Root = Path.Combine(Path.GetTempPath(), "ekeng-crm-xunit-" + Guid.NewGuid().ToString("N")[..8]);
        SpyLog = Path.Combine(Root, "pkcs11-spy.log");
        if (Available)
        {
            (Card, CaPemPath) = MakeCard();
        }
    }

    private (RigCard Card, string CaPemPath) MakeCard()
    {
        string tokens = Path.Combine(Root, "tokens");
        Directory.CreateDirectory(tokens);
        string conf = Path.Combine(Root, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        Setenv("SOFTHSM2_CONF", conf, 1);
        Setenv("PKCS11SPY", SoftHsmPath, 1);
        Setenv("PKCS11SPY_OUTPUT", SpyLog, 1);
        SoftHsmCardFactory.FixLibdl();
        RigCard card = SoftHsmCardFactory.Create(SoftHsmPath, tokens, Encoding.UTF8.GetBytes(PukText), new RigHolder("ARMEN", "SARGSYAN", "0123456789"), "ec0a1d00");
        ActivatePins();
        string caPem = Path.Combine(Root, "rig-ca.pem");
        File.WriteAllText(caPem, card.CaCertificate.ExportCertificatePem());
        return (card, caPem);
    }

    public bool Available { get; }

    public string Root { get; }

    public string? SpyPath { get; }

    public string SpyLog { get; }

    public RigCard? Card { get; }

    public string? CaPemPath { get; }

    /// <summary>The engine's module: the spy (which loads SoftHSM).</summary>
    public string ModulePath => SpyPath!;

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    /// <summary>Skips (fails under CI=true) a test that needs this rig: Linux, SoftHSM2, OpenSSL's pkcs11 engine and pkcs11-spy.</summary>
    public void Require()
    {
        Requires.Linux();
        Requires.InstalledFile(SoftHsmPath, "softhsm2");
        Requires.InstalledFile(EnginePath, "libengine-pkcs11-openssl");
        Requires.That(SpyPath != null, "OpenSC's pkcs11-spy.so is missing: install the Debian package 'opensc-pkcs11'");
    }

    /// <summary>Whether this process's login on the token <paramref name="label"/> is still active (a fresh session's state, through the module's library registry: initialised once, never finalised).</summary>
    public bool IsLoggedIn(string label)
    {
        IPkcs11Library library = Ekeng.Pkcs11.Pkcs11LibraryRegistry.Get(ModulePath, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        ISlot slot = library.GetSlotList(SlotsType.WithTokenPresent).First(s => s.GetTokenInfo().Label.Trim() == label);
        using ISession session = slot.OpenSession(SessionType.ReadOnly);
        CKS state = session.GetSessionInfo().State;
        return state == CKS.CKS_RO_USER_FUNCTIONS || state == CKS.CKS_RW_USER_FUNCTIONS;
    }

    /// <summary>Runs <paramref name="action"/> and returns what the spy logged meanwhile.</summary>
    public string Spy(Action action)
    {
        lock (_spyGate)
        {
            long start = File.Exists(SpyLog) ? new FileInfo(SpyLog).Length : 0;
            action();
            if (!File.Exists(SpyLog))
            {
                return string.Empty;
            }

            using var stream = new FileStream(SpyLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(start, SeekOrigin.Begin);
            return new StreamReader(stream).ReadToEnd();
        }
    }

    public void Dispose()
    {
        // Every test of the collection is done. The spy log holds the test PINs in clear (pkcs11-spy logs pPin): remove it.
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void ActivatePins()
    {
        var factories = new Pkcs11InteropFactories();
        using IPkcs11Library library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, SoftHsmPath, AppType.MultiThreaded);
        foreach ((string label, string pin) in new[] { (SoftHsmCardFactory.AuthLabel, AuthPinText), (SoftHsmCardFactory.SignLabel, SignPinText) })
        {
            ISlot slot = library.GetSlotList(SlotsType.WithTokenPresent).First(s => s.GetTokenInfo().Label.Trim() == label);
            using ISession session = slot.OpenSession(SessionType.ReadWrite);
            session.Login(CKU.CKU_SO, Encoding.UTF8.GetBytes(PukText));
            session.InitPin(Encoding.UTF8.GetBytes(pin));
            session.Logout();
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int Setenv(string name, string value, int overwrite);

    /// <summary>No read of a private key's secret parts: neither the RSA private attributes nor CKA_VALUE of a private key object.</summary>
    public static void AssertNoPrivateValueRead(string spy)
    {
        foreach (string secret in new[] { "CKA_PRIVATE_EXPONENT", "CKA_PRIME_1", "CKA_PRIME_2", "CKA_EXPONENT_1", "CKA_EXPONENT_2", "CKA_COEFFICIENT" })
        {
            Assert.DoesNotContain(secret, spy);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TokenRigCollection : ICollectionFixture<TokenRig>
{
    public const string Name = "Token rig";
}
