using System.Text;
using Ekeng.Pkcs11;

namespace Ekeng.Tests.Pkcs11;

/// <summary>
/// A PKCS#11 library that reports whatever token flags a test sets: the only way to reach FINAL_TRY and LOCKED,
/// which SoftHSM never reports. It records every call that would carry a secret (<see cref="SecretCalls"/>) and
/// every call at all (<see cref="Calls"/>), and fails a slot's secret call with the CKR_ code a test sets.
/// </summary>
internal sealed class FakePkcs11Module : IPkcs11Module, IPkcs11ModuleLoader
{
    public List<Pkcs11Token> Tokens { get; } = new();

    public List<string> SecretCalls { get; } = new();

    /// <summary>Each secret-carrying call with the secrets' bytes as text (test values only): which secret reached which token.</summary>
    public List<string> SecretValues { get; } = new();

    /// <summary>Every call, in order: "C_GetTokenInfo slot 2", "C_SetPIN slot 1", ...</summary>
    public List<string> Calls { get; } = new();

    /// <summary>The CKR_ code that a secret call on a slot returns (absent: CKR_OK).</summary>
    public Dictionary<ulong, (string Function, ulong Rv)> FailOn { get; } = new();

    public int Opened { get; private set; }

    public string Path => "/fake/libfake.so";

    public static Pkcs11Token Token(string label, ulong flags, ulong slot, string serial = "FAKE0001", ulong minLength = 4, ulong maxLength = 8) =>
        new("/fake/libfake.so", slot, "Fake Reader 00 00", label, serial, "Fake model", "Fake maker", flags | Pkcs11Flags.TokenInitialized, minLength, maxLength);

    public IPkcs11Module Open(string path)
    {
        Opened++;
        return this;
    }

    public IReadOnlyList<Pkcs11Token> GetTokens()
    {
        Calls.Add("C_GetSlotList");
        return Tokens.ToList();
    }

    public Pkcs11Token? ReadToken(Pkcs11Token known)
    {
        Calls.Add($"C_GetTokenInfo slot {known.SlotId}");
        return Tokens.FirstOrDefault(t => t.IsSameToken(known));
    }

    public void InitPin(ulong slotId, byte[] puk, byte[] newPin)
    {
        // The bytes as they reach the boundary (copied now: the caller zeroes its buffer after the call).
        SecretValues.Add($"slot {slotId}: puk={Encoding.UTF8.GetString(puk)} new={Encoding.UTF8.GetString(newPin)}");
        Record($"C_Login(SO)+C_InitPIN slot {slotId}");
        Fail(slotId);
    }

    public void SetPin(ulong slotId, byte[] currentPin, byte[] newPin)
    {
        SecretValues.Add($"slot {slotId}: current={Encoding.UTF8.GetString(currentPin)} new={Encoding.UTF8.GetString(newPin)}");
        Record($"C_SetPIN slot {slotId}");
        Fail(slotId);
    }

    /// <summary>The certificate objects a slot holds (absent: none).</summary>
    public Dictionary<ulong, List<Pkcs11CertificateObject>> Certificates { get; } = new();

    public IReadOnlyList<Pkcs11CertificateObject> GetCertificates(ulong slotId)
    {
        Calls.Add($"C_FindObjects(CKO_CERTIFICATE) slot {slotId}");
        return Certificates.TryGetValue(slotId, out var objects) ? objects.ToList() : Array.Empty<Pkcs11CertificateObject>();
    }

    public void Dispose()
    {
    }

    private void Record(string call)
    {
        SecretCalls.Add(call);
        Calls.Add(call);
    }

    private void Fail(ulong slotId)
    {
        if (FailOn.TryGetValue(slotId, out var failure))
        {
            throw new Pkcs11CallException(failure.Function, failure.Rv);
        }
    }
}
