using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Rigs.SoftHsm;

/// <summary>The holder printed in the rig card's certificates.</summary>
public sealed record RigHolder(string GivenName, string Surname, string PublicServiceNumber)
{
    public string CommonName => $"{GivenName} {Surname} {PublicServiceNumber}";
}

/// <summary>What the factory made: the token directory, the CA and the two certificates.</summary>
public sealed record RigCard(string TokenDirectory, string SerialNumber, X509Certificate2 CaCertificate, X509Certificate2 AuthCertificate, X509Certificate2 SignCertificate);

/// <summary>
/// Makes an ARMID-like card in SoftHSM2: tokens <c>ARMID (AuthPIN)</c> and <c>ARMID (SignPIN)</c>, created with
/// C_InitToken (SO PIN = the PUK), each holding a NON-extractable RSA-2048 key pair generated ON the token and a
/// certificate for it from a test CA made here, with the user PIN NOT initialised.
/// The two tokens cannot share one serial as a real card's virtual slots do: SoftHSM derives the slot ID from
/// the token serial (its last 8 hex digits), and two tokens with one slot ID abort it (SlotManager.cpp:82,
/// assertion `result.second'; the free slot uses the token count as ID, so small values clash too). So the
/// serials are the card's 8 hex digits + c0000001 (AuthPIN) / c0000002
/// (SignPIN); the module joins a lone AuthPIN/SignPIN pair of one label into one card (CardInventory).
///
/// The catch, and how it is solved (found by experiment with SoftHSM 2.6.1):
/// - SoftHSM lets the SO create only public objects (haveWrite: CKA_PRIVATE=true needs a user login, otherwise
///   CKR_USER_NOT_LOGGED_IN), and a private key with CKA_PRIVATE=false would be stored UNENCRYPTED in the token
///   file. No PKCS#11 call un-initialises a user PIN, and C_InitToken wipes every object.
/// - But SoftHSM encrypts private objects with one token key that is wrapped twice: by the SO PIN (CKA_OS_SOPIN
///   in token.object) and by the user PIN (CKA_OS_USERPIN). C_InitPIN, run by the SO, wraps that same key with a
///   new user PIN. And CKF_USER_PIN_INITIALIZED is reported from the presence of CKA_OS_USERPIN.
/// - So: C_InitToken(PUK); SO login, C_InitPIN(temporary PIN); user login, C_GenerateKeyPair (CKA_PRIVATE,
///   CKA_SENSITIVE, CKA_EXTRACTABLE=false: "never extractable, local") and C_CreateObject for the certificate;
///   C_Finalize; then remove CKA_OS_USERPIN from token.object and clear CKF_USER_PIN_INITIALIZED in its stored
///   flags (and write the card serial). The token now reports the user PIN as not initialised
///   (C_Login(USER) returns CKR_USER_PIN_NOT_INITIALIZED), and after the real activation (SO login with the PUK,
///   C_InitPIN) the new PIN opens the keys generated before: pkcs11-tool --login --pin NEW -O lists them and
///   signs with them. The temporary PIN is random and forgotten.
/// token.object (file backend): an 8-byte big-endian generation counter, then attributes, each
/// [type u64 BE][kind u64 BE: 1 bool, 2 ulong, 3 bytes][value: 1 byte | u64 BE | u64 BE length + bytes].
/// </summary>
public static class SoftHsmCardFactory
{
    public const string AuthLabel = "ARMID (AuthPIN)";
    public const string SignLabel = "ARMID (SignPIN)";
    private const ulong CkaVendorSoftHsm = 0x80000000UL + 0x5348;
    private const ulong CkaOsTokenLabel = CkaVendorSoftHsm + 1;
    private const ulong CkaOsTokenSerial = CkaVendorSoftHsm + 2;
    private const ulong CkaOsTokenFlags = CkaVendorSoftHsm + 3;
    private const ulong CkaOsUserPin = CkaVendorSoftHsm + 5;
    private const ulong CkfUserPinInitialized = 0x8;

    /// <summary>Creates both tokens in the (empty) token directory the SOFTHSM2_CONF of this process points to.</summary>
    public static RigCard Create(string modulePath, string tokenDirectory, byte[] puk, RigHolder holder, string serialNumber, X509Certificate2? caWithKey = null, int? validDays = null)
        => Create(modulePath, tokenDirectory, puk, puk, holder, serialNumber, caWithKey, validDays: validDays);

    /// <summary>
    /// The same with a PUK (SO PIN) per token, and the tokens' serial suffixes: a second card meant to share a token
    /// directory with a first one needs other suffixes (SoftHSM's slot ID is the serial's last 8 hex digits).
    /// </summary>
    public static RigCard Create(string modulePath, string tokenDirectory, byte[] authPuk, byte[] signPuk, RigHolder holder, string serialNumber, X509Certificate2? caWithKey = null, string authSuffix = "c0000001", string signSuffix = "c0000002", int? validDays = null)
    {
        if (serialNumber.Length != 8 || !serialNumber.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("The card serial is 8 hexadecimal digits (each token gets it plus 8 more).", nameof(serialNumber));
        }

        X509Certificate2 ca = caWithKey ?? CreateCa();
        var factories = new Pkcs11InteropFactories();
        X509Certificate2 auth, sign;
        byte[] temporaryPin = Encoding.ASCII.GetBytes(RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (IPkcs11Library library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, modulePath, AppType.MultiThreaded))
        {
            auth = MakeToken(library, AuthLabel, authPuk, temporaryPin, ca, holder, isSigning: false, validDays);
            sign = MakeToken(library, SignLabel, signPuk, temporaryPin, ca, holder, isSigning: true, validDays);
        }

        Array.Clear(temporaryPin);
        ForgetUserPin(FindTokenObject(tokenDirectory, AuthLabel), serialNumber + authSuffix);
        ForgetUserPin(FindTokenObject(tokenDirectory, SignLabel), serialNumber + signSuffix);

        return new RigCard(tokenDirectory, serialNumber, ca, auth, sign);
    }

    /// <summary>The test CA: "Ekeng Test Citizen CA" (or <paramref name="commonName"/>), RSA-2048, with its private key (software).</summary>
    public static X509Certificate2 CreateCa(string commonName = "Ekeng Test Citizen CA")
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=Ekeng.PowerShell tests, C=AM", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddYears(10));
    }

    private static X509Certificate2 MakeToken(IPkcs11Library library, string label, byte[] puk, byte[] temporaryPin, X509Certificate2 ca, RigHolder holder, bool isSigning, int? validDays)
    {
        ISlot free = library.GetSlotList(SlotsType.WithTokenPresent).First(s => (s.GetTokenInfo().TokenFlags.Flags & 0x400) == 0);
        free.InitToken(puk, Encoding.UTF8.GetBytes(label));
        ISlot slot = library.GetSlotList(SlotsType.WithTokenPresent).First(s => s.GetTokenInfo().Label.Trim() == label);
        var a = library.Factories.ObjectAttributeFactory;
        byte[] id = isSigning ? [0x02] : [0x01];
        string keyLabel = isSigning ? "Signature key" : "Authentication key";

        using ISession session = slot.OpenSession(SessionType.ReadWrite);
        session.Login(CKU.CKU_SO, puk);
        session.InitPin(temporaryPin);
        session.Logout();
        session.Login(CKU.CKU_USER, temporaryPin);

        var publicTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_ID, id), a.Create(CKA.CKA_LABEL, keyLabel),
            a.Create(CKA.CKA_VERIFY, true), a.Create(CKA.CKA_ENCRYPT, !isSigning), a.Create(CKA.CKA_WRAP, false),
            a.Create(CKA.CKA_MODULUS_BITS, 2048UL), a.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }),
        };
        var privateTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_ID, id), a.Create(CKA.CKA_LABEL, keyLabel),
            a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false),
            a.Create(CKA.CKA_SIGN, true), a.Create(CKA.CKA_DECRYPT, !isSigning), a.Create(CKA.CKA_UNWRAP, false),
        };
        session.GenerateKeyPair(library.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_KEY_PAIR_GEN), publicTemplate, privateTemplate, out IObjectHandle publicKey, out _);
        List<IObjectAttribute> values = session.GetAttributeValue(publicKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
        using RSA tokenPublic = RSA.Create(new RSAParameters { Modulus = values[0].GetValueAsByteArray(), Exponent = values[1].GetValueAsByteArray() });

        X509Certificate2 certificate = Issue(ca, tokenPublic, holder, isSigning, validDays);
        session.CreateObject(
        [
            a.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), a.Create(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509),
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_LABEL, isSigning ? "Signature certificate" : "Authentication certificate"),
            a.Create(CKA.CKA_SUBJECT, certificate.SubjectName.RawData), a.Create(CKA.CKA_ISSUER, certificate.IssuerName.RawData),
            a.Create(CKA.CKA_VALUE, certificate.RawData),
        ]);
        session.Logout();
        return certificate;
    }

    /// <summary>A certificate for the token's public key, subject with every form the module reads.</summary>
    /// <param name="validDays">Days from now to the end of validity (default: 3 years), for cards that end soon.</param>
    public static X509Certificate2 Issue(X509Certificate2 ca, RSA subjectPublicKey, RigHolder holder, bool isSigning, int? validDays = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("AM");
        subject.AddCommonName(holder.CommonName);
        subject.Add("2.5.4.4", holder.Surname);
        subject.Add("2.5.4.42", holder.GivenName);
        subject.Add("2.5.4.5", holder.PublicServiceNumber, System.Formats.Asn1.UniversalTagNumber.PrintableString);
        var request = new CertificateRequest(subject.Build(), subjectPublicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(isSigning
            ? new X509KeyUsageExtension(X509KeyUsageFlags.NonRepudiation, true)
            : new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        if (!isSigning)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.4") }, false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        byte[] serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using RSA caKey = ca.GetRSAPrivateKey() ?? throw new InvalidOperationException("The CA certificate has no private key.");
        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddDays(-1), validDays is int days ? DateTimeOffset.UtcNow.AddDays(days) : DateTimeOffset.UtcNow.AddYears(3), serial);
    }

    private static string FindTokenObject(string tokenDirectory, string label)
    {
        foreach (string dir in Directory.GetDirectories(tokenDirectory))
        {
            string file = Path.Combine(dir, "token.object");
            if (File.Exists(file) && ReadAttributes(File.ReadAllBytes(file)).attributes.Any(x => x.Type == CkaOsTokenLabel && Encoding.UTF8.GetString(x.Value.AsSpan(8)).Trim() == label))
            {
                return file;
            }
        }

        throw new InvalidOperationException($"No SoftHSM token labelled '{label}' in {tokenDirectory}.");
    }

    /// <summary>Removes the user PIN blob, clears CKF_USER_PIN_INITIALIZED and writes the card serial.</summary>
    public static void ForgetUserPin(string tokenObjectPath, string? serialNumber)
    {
        (ulong generation, List<(ulong Type, ulong Kind, byte[] Value)> attributes) = ReadAttributes(File.ReadAllBytes(tokenObjectPath));
        using var output = new MemoryStream();
        WriteU64(output, generation + 1);
        foreach ((ulong type, ulong kind, byte[] value) in attributes)
        {
            if (type == CkaOsUserPin)
            {
                continue;
            }

            byte[] v = value;
            if (type == CkaOsTokenFlags)
            {
                v = U64(ReadU64(value, 0) & ~CkfUserPinInitialized);
            }
            else if (type == CkaOsTokenSerial && serialNumber != null)
            {
                byte[] text = Encoding.ASCII.GetBytes(serialNumber.PadRight(16).Substring(0, 16));
                v = [.. U64((ulong)text.Length), .. text];
            }

            WriteU64(output, type);
            WriteU64(output, kind);
            output.Write(v);
        }

        File.WriteAllBytes(tokenObjectPath, output.ToArray());
    }

    private static (ulong generation, List<(ulong Type, ulong Kind, byte[] Value)> attributes) ReadAttributes(byte[] data)
    {
        var list = new List<(ulong, ulong, byte[])>();
        ulong generation = ReadU64(data, 0);
        int pos = 8;
        while (pos < data.Length)
        {
            ulong type = ReadU64(data, pos);
            ulong kind = ReadU64(data, pos + 8);
            pos += 16;
            int length = kind switch
            {
                1 => 1,
                2 => 8,
                3 => 8 + checked((int)ReadU64(data, pos)),
                _ => throw new InvalidDataException($"Unknown SoftHSM attribute kind {kind} (only the file backend's token.object is supported)."),
            };
            list.Add((type, kind, data.AsSpan(pos, length).ToArray()));
            pos += length;
        }

        return (generation, list);
    }

    private static ulong ReadU64(byte[] data, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(offset, 8));

    private static byte[] U64(ulong value)
    {
        byte[] b = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, value);
        return b;
    }

    private static void WriteU64(Stream s, ulong value) => s.Write(U64(value));

    /// <summary>Pkcs11Interop 5.3 dlopens "libdl", which glibc 2.34+ ships only as libdl.so.2.</summary>
    public static void FixLibdl()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11Exception).Assembly, (name, _, _) =>
                name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out IntPtr h) ? h : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // Set already.
        }
    }
}
