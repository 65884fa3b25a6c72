using Ekeng.Pkcs11;

namespace Ekeng.Core.Tests.Pkcs11;

/// <summary>
/// A PKCS#11 library that reports whatever token flags a test sets: the only way to reach FINAL_TRY and LOCKED,
/// which SoftHSM never reports. It records every call that would carry a secret.
/// </summary>
internal sealed class FakePkcs11Module : IPkcs11Module, IPkcs11ModuleLoader
{
    public List<Pkcs11Token> Tokens { get; } = new();

    public List<string> SecretCalls { get; } = new();

    public string Path => "/fake/libfake.so";

    public static Pkcs11Token Token(string label, ulong flags, ulong slot, string serial = "FAKE0001") =>
        new("/fake/libfake.so", slot, "Fake Reader 00 00", label, serial, "Fake model", "Fake maker", flags | Pkcs11Flags.TokenInitialized, 4, 8);

    public IPkcs11Module Open(string path) => this;

    public IReadOnlyList<Pkcs11Token> GetTokens() => Tokens.ToList();

    public void InitPin(ulong slotId, byte[] puk, byte[] newPin) => SecretCalls.Add($"C_Login(SO)+C_InitPIN slot {slotId}");

    public void SetPin(ulong slotId, byte[] currentPin, byte[] newPin) => SecretCalls.Add($"C_SetPIN slot {slotId}");

    public IReadOnlyList<Pkcs11CertificateObject> GetCertificates(ulong slotId) => Array.Empty<Pkcs11CertificateObject>();

    public void Dispose()
    {
    }
}
