using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ekeng.Sandbox.Tests;

/// <summary>A test CA and holder certificates shaped like the card's (C=AM, CN="NAME SURNAME 1234567890", SN, G, SERIALNUMBER), software keys.</summary>
public sealed class TestPki
{
    public X509Certificate2 Ca { get; }
    public string CaPemPath { get; }

    public TestPki(string directory, string name = "Ekeng Test Citizen CA")
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, C=AM", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddYears(5));
        Directory.CreateDirectory(directory);
        CaPemPath = Path.Combine(directory, $"{name.Replace(' ', '-')}.pem");
        File.WriteAllText(CaPemPath, Ca.ExportCertificatePem() + "\n");
    }

    public X509Certificate2 Holder(string given, string surname, string psn, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var dn = new X500DistinguishedNameBuilder();
        dn.AddCountryOrRegion("AM");
        dn.AddCommonName($"{given} {surname} {psn}");
        dn.Add("2.5.4.4", surname, UniversalTagNumber.UTF8String);
        dn.Add("2.5.4.42", given, UniversalTagNumber.UTF8String);
        dn.Add("2.5.4.5", psn, UniversalTagNumber.PrintableString);
        return Issue(dn.Build(), notBefore, notAfter);
    }

    /// <summary>A holder whose given name, surname and number share ONE multi-valued RDN (openssl -multivalue-rdn).</summary>
    public X509Certificate2 HolderMultiValued(string given, string surname, string psn)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            {
                using (writer.PushSequence()) { writer.WriteObjectIdentifier("2.5.4.6"); writer.WriteCharacterString(UniversalTagNumber.PrintableString, "AM"); }
            }

            using (writer.PushSetOf())
            {
                using (writer.PushSequence()) { writer.WriteObjectIdentifier("2.5.4.42"); writer.WriteCharacterString(UniversalTagNumber.UTF8String, given); }
                using (writer.PushSequence()) { writer.WriteObjectIdentifier("2.5.4.4"); writer.WriteCharacterString(UniversalTagNumber.UTF8String, surname); }
                using (writer.PushSequence()) { writer.WriteObjectIdentifier("2.5.4.5"); writer.WriteCharacterString(UniversalTagNumber.PrintableString, psn); }
            }
        }

        return Issue(new X500DistinguishedName(writer.Encode()), null, null);
    }

    private X509Certificate2 Issue(X500DistinguishedName subject, DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 signed = request.Create(Ca, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1), serial);
        return signed.CopyWithPrivateKey(key);
    }
}
