using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Platform;

namespace Ekeng.Tests.Http;

/// <summary>
/// The Windows one-PIN login's rules, against a fake of the crypt32/ncrypt calls (the calls themselves run on Windows
/// only): the PIN's encoding per provider kind, one attempt, nothing attached after a refusal, the buffer zeroed.
/// </summary>
public sealed class SmartCardPinBinderTests
{
    private sealed class FakeKeys(WindowsKeyProvInfo? info, int openStatus, int attachStatus = 0) : IWindowsSmartCardKeys
    {
        public List<byte[]> PinsSeen { get; } = [];
        public List<byte[]> BuffersGiven { get; } = [];
        public int Attached { get; private set; }
        public int Released { get; private set; }

        public WindowsKeyProvInfo? GetKeyProvInfo(X509Certificate2 certificate) => info;

        public int OpenWithPin(WindowsKeyProvInfo key, byte[] pin, out IntPtr handle)
        {
            PinsSeen.Add((byte[])pin.Clone());
            BuffersGiven.Add(pin);
            handle = openStatus == 0 ? new IntPtr(42) : IntPtr.Zero;
            return openStatus;
        }

        public int Attach(X509Certificate2 certificate, WindowsKeyProvInfo key, IntPtr handle)
        {
            Assert.Equal(new IntPtr(42), handle);
            Attached++;
            return attachStatus;
        }

        public void Release(WindowsKeyProvInfo key, IntPtr handle) => Released++;
    }

    private static X509Certificate2 Certificate()
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ARMEN SARGSYAN 1234567890", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    [Fact]
    public void A_Cng_Key_Gets_The_Pin_As_Nul_Terminated_Utf16_Once_And_Is_Attached()
    {
        var keys = new FakeKeys(new WindowsKeyProvInfo("c", "Microsoft Smart Card Key Storage Provider", 0, -1), 0);
        using X509Certificate2 certificate = Certificate();
        new SmartCardPinBinder(keys).Bind(certificate, Secure("00417265"));
        byte[] seen = Assert.Single(keys.PinsSeen);
        Assert.Equal(System.Text.Encoding.Unicode.GetBytes("00417265\0"), seen);
        Assert.Equal(1, keys.Attached);
        Assert.All(keys.BuffersGiven.Single(), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(WindowsKeyProvInfo.AtKeyExchange)]
    [InlineData(WindowsKeyProvInfo.AtSignature)]
    public void A_Csp_Key_Gets_The_Pin_As_Nul_Terminated_Ascii_With_Leading_Zeros_Kept(int keySpec)
    {
        var keys = new FakeKeys(new WindowsKeyProvInfo("c", "Cryptotech CSP", 1, keySpec), 0);
        using X509Certificate2 certificate = Certificate();
        new SmartCardPinBinder(keys).Bind(certificate, Secure("00417265"));
        Assert.Equal("00417265\0"u8.ToArray(), Assert.Single(keys.PinsSeen));
        Assert.All(keys.BuffersGiven.Single(), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(unchecked((int)0x8010006B), "PinIncorrect", EkengErrorKind.AuthenticationError)]
    [InlineData(unchecked((int)0x80090024), "PinIncorrect", EkengErrorKind.AuthenticationError)]
    [InlineData(unchecked((int)0x8010006C), "PinLocked", EkengErrorKind.SecurityError)]
    [InlineData(unchecked((int)0x80090022), "ClientCertificateKeyUnavailable", EkengErrorKind.DeviceError)]
    [InlineData(unchecked((int)0x80100069), "ClientCertificateKeyUnavailable", EkengErrorKind.DeviceError)]
    public void A_Refused_Pin_Is_Tried_Once_Mapped_To_Its_Id_And_Nothing_Is_Attached(int status, string id, EkengErrorKind kind)
    {
        var keys = new FakeKeys(new WindowsKeyProvInfo("c", "Cryptotech CSP", 1, 1), status);
        using X509Certificate2 certificate = Certificate();
        var e = Assert.Throws<EkengException>(() => new SmartCardPinBinder(keys).Bind(certificate, Secure("12345678")));
        Assert.Equal(id, e.ErrorId);
        Assert.Equal(kind, e.Kind);
        Assert.Single(keys.PinsSeen);
        Assert.Equal(0, keys.Attached);
        Assert.DoesNotContain("12345678", e.Message);
        Assert.All(keys.BuffersGiven.Single(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_Key_That_Cannot_Be_Attached_Is_Released()
    {
        var keys = new FakeKeys(new WindowsKeyProvInfo("c", "Cryptotech CSP", 1, 1), 0, attachStatus: 5);
        using X509Certificate2 certificate = Certificate();
        var e = Assert.Throws<EkengException>(() => new SmartCardPinBinder(keys).Bind(certificate, Secure("12345678")));
        Assert.Equal("ClientCertificateKeyUnavailable", e.ErrorId);
        Assert.Equal(1, keys.Released);
    }

    [Fact]
    public void A_Certificate_Without_Key_Information_Sends_No_Pin()
    {
        var keys = new FakeKeys(null, 0);
        using X509Certificate2 certificate = Certificate();
        var e = Assert.Throws<EkengException>(() => new SmartCardPinBinder(keys).Bind(certificate, Secure("12345678")));
        Assert.Equal("ClientCertificateNotInStore", e.ErrorId);
        Assert.Empty(keys.PinsSeen);
    }

    [Fact]
    public void The_Native_Structures_Have_Windows_Layouts()
    {
        // CERT_KEY_CONTEXT is { DWORD cbSize; HCRYPTPROV hCryptProv; DWORD dwKeySpec } : 24 bytes on 64-bit, 12 on 32-bit.
        Type? context = typeof(WindowsSmartCardKeys).GetNestedType("CertKeyContext", System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(context);
        Assert.Equal(IntPtr.Size == 8 ? 24 : 12, Marshal.SizeOf(context!));
        Type? info = typeof(WindowsSmartCardKeys).GetNestedType("CryptKeyProvInfo", System.Reflection.BindingFlags.NonPublic);
        Assert.Equal(IntPtr.Size == 8 ? 48 : 28, Marshal.SizeOf(info!));
    }
}
