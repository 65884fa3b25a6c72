using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ekeng.Certificates;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.Rigs.SoftHsm;
using Ekeng.Signing;
using Ekeng.Tests.Pkcs11;
using Microsoft.Extensions.Logging.Abstractions;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Tests.Signing;

/// <summary>
/// The real key path on SoftHSM2: one C_Login for several files; a key with CKA_ALWAYS_AUTHENTICATE gets a
/// C_Login(CKU_CONTEXT_SPECIFIC) before each C_Sign (SoftHSM answers C_Sign with CKR_USER_NOT_LOGGED_IN otherwise).
/// </summary>
[Collection(SoftHsmCollection.Name)]
public sealed class TokenSigningTests
{
    private const string Pin = "20481024";

    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text)
        {
            s.AppendChar(c);
        }

        return s;
    }

    /// <summary>Activates the SignPIN and adds a second key pair (CKA_ID 03) with CKA_ALWAYS_AUTHENTICATE and its certificate.</summary>
    private static (Pkcs11Token Token, EkengCertificate Normal, EkengCertificate Always) Prepare(SoftHsmCard card)
    {
        IPkcs11Library library = Pkcs11LibraryRegistry.Get(SoftHsmCard.ModulePath, NullLogger.Instance);
        ISlot slot = library.GetSlotList(SlotsType.WithTokenPresent).First(s => s.GetTokenInfo().Label.Trim() == SoftHsmCardFactory.SignLabel);
        var a = library.Factories.ObjectAttributeFactory;
        using (ISession session = slot.OpenSession(SessionType.ReadWrite))
        {
            session.Login(CKU.CKU_SO, Encoding.ASCII.GetBytes(SoftHsmCard.PukText));
            session.InitPin(Encoding.ASCII.GetBytes(Pin));
            session.Logout();
            session.Login(CKU.CKU_USER, Encoding.ASCII.GetBytes(Pin));
            byte[] id = [0x03];
            session.GenerateKeyPair(
                library.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_KEY_PAIR_GEN),
                [a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_ID, id), a.Create(CKA.CKA_VERIFY, true), a.Create(CKA.CKA_MODULUS_BITS, 2048UL), a.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 1, 0, 1 })],
                [a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_ID, id), a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false), a.Create(CKA.CKA_SIGN, true), a.Create(CKA.CKA_ALWAYS_AUTHENTICATE, true)],
                out IObjectHandle publicKey,
                out _);
            List<IObjectAttribute> values = session.GetAttributeValue(publicKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            using RSA rsa = RSA.Create(new RSAParameters { Modulus = values[0].GetValueAsByteArray(), Exponent = values[1].GetValueAsByteArray() });
            X509Certificate2 certificate = SoftHsmCardFactory.Issue(card.Card.CaCertificate, rsa, new RigHolder("ARMEN", "SARGSYAN", "0123456789"), isSigning: true);
            session.CreateObject([a.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), a.Create(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509), a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_ID, id), a.Create(CKA.CKA_LABEL, "Always-authenticate certificate"), a.Create(CKA.CKA_SUBJECT, certificate.SubjectName.RawData), a.Create(CKA.CKA_VALUE, certificate.RawData)]);
            session.Logout();
        }

        using IPkcs11Module module = new InteropModuleLoader().Open(SoftHsmCard.ModulePath);
        Pkcs11Token token = module.GetTokens().Single(t => t.Kind == PinKind.Sign);
        IReadOnlyList<Pkcs11CertificateObject> objects = module.GetCertificates(token.SlotId);
        EkengCertificate Describe(byte id)
        {
            Pkcs11CertificateObject o = objects.Single(c => c.Id.SequenceEqual(new[] { id }));
            return CertificateService.Describe(o.Value, token, o.Label, DateTime.UtcNow, NullLogger.Instance, o.Id)!;
        }

        return (token, Describe(0x02), Describe(0x03));
    }

    private static IReadOnlyList<string> Files(string dir, int count)
    {
        return Enumerable.Range(1, count).Select(i =>
        {
            string f = Path.Combine(dir, $"f{i}.txt");
            File.WriteAllText(f, "file " + i);
            return f;
        }).ToList();
    }

    private static void AssertValid(X509Certificate2 ca, string file)
    {
        using FileStream content = File.OpenRead(file);
        SignatureCheck check = new SignatureVerifier([ca]).CheckDetached(file, file + ".p7s", File.ReadAllBytes(file + ".p7s"), content);
        Assert.True(check.Valid, check.Detail);
        Assert.Equal("0123456789", check.PublicServiceNumber);
    }

    [SkippableFact]
    public void SeveralFilesWithOneLoginAndAContextLoginPerSignatureWhenTheKeyDemandsIt()
    {
        Requires.That(SoftHsmCard.Available, $"needs SoftHSM2 ({SoftHsmCard.ModulePath})");
        using var card = new SoftHsmCard();
        (_, EkengCertificate normal, EkengCertificate always) = Prepare(card);
        string dir = Directory.CreateTempSubdirectory("ekeng-token-sign-").FullName;
        try
        {
            var service = new SigningService(null, new Pkcs11SigningKeySource());
            foreach ((EkengCertificate certificate, bool expectAlways, string sub) in new[] { (normal, false, "normal"), (always, true, "always") })
            {
                string folder = Directory.CreateDirectory(Path.Combine(dir, sub)).FullName;
                IReadOnlyList<string> files = Files(folder, 3);
                List<SigningJob> jobs = files.Select(f => service.Prepare(f, f + ".p7s", false, DateTime.UtcNow, null, null)).ToList();
                using (SigningSession session = service.Open(certificate, Secure(Pin)))
                {
                    Assert.Equal(expectAlways, session.Key.AlwaysAuthenticate);
                    foreach (SigningJob job in jobs)
                    {
                        service.Sign(session, job, DateTime.UtcNow);
                    }

                    Assert.Equal(3, session.Signatures);
                }

                foreach (string f in files)
                {
                    AssertValid(card.Card.CaCertificate, f);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [SkippableFact]
    public void AWrongSignPinIsAClearErrorAndNothingIsWritten()
    {
        Requires.That(SoftHsmCard.Available, $"needs SoftHSM2 ({SoftHsmCard.ModulePath})");
        using var card = new SoftHsmCard();
        (_, EkengCertificate normal, _) = Prepare(card);
        string dir = Directory.CreateTempSubdirectory("ekeng-token-sign-").FullName;
        try
        {
            string file = Files(dir, 1)[0];
            var service = new SigningService(null, new Pkcs11SigningKeySource());
            service.Prepare(file, file + ".p7s", false, DateTime.UtcNow, null, null);
            EkengException e = Assert.Throws<EkengException>(() => service.Open(normal, Secure("11112222")));
            Assert.Equal("SignPinIncorrect", e.ErrorId);
            Assert.Equal(EkengErrorKind.AuthenticationError, e.Kind);
            Assert.DoesNotContain("11112222", e.Message);
            Assert.False(File.Exists(file + ".p7s"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [SkippableFact]
    public void A_Certificate_Without_Its_Key_Or_Its_Token_Is_Named_Before_Anything_Is_Signed()
    {
        Requires.That(SoftHsmCard.Available, $"needs SoftHSM2 ({SoftHsmCard.ModulePath})");
        using var card = new SoftHsmCard();
        (Pkcs11Token token, EkengCertificate normal, _) = Prepare(card);
        var source = new Pkcs11SigningKeySource();

        // The certificate's CKA_ID names no private key on the token (a card whose key was never made, or another's).
        EkengCertificate orphan = CertificateService.Describe(normal.Certificate.RawData, token, "orphan", DateTime.UtcNow, NullLogger.Instance, [0x7F])!;
        EkengException noKey = Assert.Throws<EkengException>(() => source.Open(orphan, Secure(Pin)));
        Assert.Equal("SigningKeyNotFound", noKey.ErrorId);
        Assert.Equal(EkengErrorKind.ObjectNotFound, noKey.Kind);

        // A certificate that was not read from a token (a file): nothing to sign with, no PIN sent anywhere.
        EkengCertificate fromFile = CertificateService.Describe(normal.Certificate.RawData, null, "file", DateTime.UtcNow, NullLogger.Instance)!;
        EkengException noToken = Assert.Throws<EkengException>(() => source.Open(fromFile, Secure(Pin)));
        Assert.Equal("SigningCertificateNotFound", noToken.ErrorId);
        Assert.Equal(EkengErrorKind.ObjectNotFound, noToken.Kind);
    }

    [Theory]
    [InlineData(CKR.CKR_PIN_LOCKED, "SignPinLocked", EkengErrorKind.SecurityError)]
    [InlineData(CKR.CKR_PIN_INCORRECT, "SignPinIncorrect", EkengErrorKind.AuthenticationError)]
    [InlineData(CKR.CKR_DEVICE_ERROR, "SigningTokenError", EkengErrorKind.DeviceError)]
    [InlineData(CKR.CKR_TOKEN_NOT_PRESENT, "SigningTokenError", EkengErrorKind.DeviceError)]
    public void A_Refused_Login_Is_Named_By_What_The_Token_Said(CKR rv, string id, EkengErrorKind kind)
    {
        // SoftHSM keeps no PIN try counter (it never answers CKR_PIN_LOCKED): the mapping of C_Login's answers, as such.
        var token = new Pkcs11Token("/usr/lib/ccs/libccpkip11.so", 2, "slot", "ARMID (SignPIN)", "0011223344", "m", "CryptoTech", 0x408, 4, 8);
        EkengException e = Pkcs11SigningKeySource.LoginFailure(token, new Pkcs11Exception("C_Login", rv));
        Assert.Equal(id, e.ErrorId);
        Assert.Equal(kind, e.Kind);
        Assert.Equal("ARMID (SignPIN)", e.TargetObject);
    }

    [SkippableFact]
    public void An_Input_That_Changes_While_It_Is_Read_And_An_Output_That_Cannot_Be_Written_Are_Clear_Errors()
    {
        Requires.That(OperatingSystem.IsLinux() && File.Exists("/proc/1/status"), "needs Linux /proc");
        // /proc files are regular files whose size says 0 and whose reads give more: the module reads what it checked.
        EkengException unreadable = Assert.Throws<EkengException>(() => SigningFiles.ReadAll("/proc/1/status", 1 << 20));
        Assert.Equal("SignInputUnreadable", unreadable.ErrorId);
        Assert.Equal(EkengErrorKind.ReadError, unreadable.Kind);

        // /proc takes no new file, root or not: the write fails whole and names the path.
        EkengException unwritable = Assert.Throws<EkengException>(() => SigningFiles.Write("/proc/1/ekeng-test.p7s", s => s.WriteByte(1), force: false));
        Assert.Equal("SignatureWriteFailed", unwritable.ErrorId);
        Assert.Equal(EkengErrorKind.WriteError, unwritable.Kind);
        Assert.False(File.Exists("/proc/1/ekeng-test.p7s"));
    }
}
