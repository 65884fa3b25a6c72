using System.Text;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>A machine of any OS with chosen variables; files are the real ones (temp folders).</summary>
internal sealed class FakeEnvironment : MozillaEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public FakeEnvironment(OsPlatform platform, string home, Dictionary<string, string>? variables = null)
        : base(platform, home)
    {
        _variables = variables ?? new Dictionary<string, string>();
    }

    public override string? GetVariable(string name) => _variables.TryGetValue(name, out string? v) ? v : null;
}

/// <summary>The OS as a test wants it: which pids live, which lock symlinks and fcntl locks exist.</summary>
internal sealed class FakeProbe : IProcessProbe
{
    public HashSet<int> Alive { get; } = new();
    public Dictionary<string, string> Links { get; } = new();
    public Dictionary<string, int> FcntlLocks { get; } = new();
    public HashSet<string> Exclusive { get; } = new();
    public HashSet<string> LocalAddresses { get; } = new() { "127.0.0.1", "127.0.1.1" };

    public bool IsAlive(int pid) => Alive.Contains(pid);
    public int? GetLockingPid(string path) => FcntlLocks.TryGetValue(path, out int pid) ? pid : 0;
    public string? ReadLink(string path) => Links.TryGetValue(path, out string? t) ? t : null;
    public bool IsLocalAddress(string address) => LocalAddresses.Contains(address);
    public bool IsHeldExclusively(string path) => Exclusive.Contains(path);
}

/// <summary>A temp folder removed at the end of the test; its name has a space and Armenian letters.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ekeng ff " + Guid.NewGuid().ToString("N")[..8], "Պրոֆիլ");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    public void Dispose()
    {
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Samples
{
    /// <summary>pkcs11.txt as firefox-esr 153 wrote it here (note the trailing space of the parameters line).</summary>
    public static string FirefoxPkcs11Txt(string dir) =>
        "library=\n" +
        "name=NSS Internal PKCS #11 Module\n" +
        $"parameters=configdir='sql:{dir}' certPrefix='' keyPrefix='' secmod='secmod.db' flags=optimizeSpace updatedir='' updateCertPrefix='' updateKeyPrefix='' updateid='' updateTokenDescription='' \n" +
        "NSS=Flags=internal,critical trustOrder=75 cipherOrder=100 slotParams=(1={slotFlags=[ECC,RSA,DSA,DH,RC2,RC4,DES,RANDOM,SHA1,MD5,MD2,SSL,TLS,AES,Camellia,SEED,SHA256,SHA512] askpw=any timeout=30})\n" +
        "\n";

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
