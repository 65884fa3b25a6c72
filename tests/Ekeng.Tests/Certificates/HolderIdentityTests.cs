using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Certificates;
using Ekeng.Pkcs11;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Tests.Certificates;

/// <summary>Each subject form the module reads (the ARMID layout is not public: docs/ARCHITECTURE.md#card-and-token-facts).</summary>
public sealed class HolderIdentityTests
{
    private static byte[] Subject(Action<X500DistinguishedNameBuilder> build)
    {
        var b = new X500DistinguishedNameBuilder();
        build(b);
        return b.Build().RawData;
    }

    [Fact]
    public void SerialNumber_Attribute_Alone_Gives_The_Number_And_The_Cn_The_Name()
    {
        var id = HolderIdentity.FromSubject(Subject(b => { b.AddCountryOrRegion("AM"); b.AddCommonName("ANI PETROSYAN"); b.Add("2.5.4.5", "0012345678", System.Formats.Asn1.UniversalTagNumber.PrintableString); }));
        Assert.Equal("ANI PETROSYAN", id.Name);
        Assert.Equal("0012345678", id.PublicServiceNumber);
    }

    [Fact]
    public void SerialNumber_With_An_Etsi_Prefix_Gives_The_Trailing_Ten_Digits()
    {
        var id = HolderIdentity.FromSubject(Subject(b => { b.AddCommonName("X"); b.Add("2.5.4.5", "PNOAM-1234567890", System.Formats.Asn1.UniversalTagNumber.PrintableString); b.Add("2.5.4.42", "ARMEN"); b.Add("2.5.4.4", "SARGSYAN"); }));
        Assert.Equal("1234567890", id.PublicServiceNumber);
        Assert.Equal("ARMEN SARGSYAN", id.Name);
    }

    [Fact]
    public void GivenName_And_Surname_Are_Preferred_To_The_Cn()
    {
        var id = HolderIdentity.FromSubject(Subject(b => { b.AddCommonName("SARGSYAN ARMEN 1234567890"); b.Add("2.5.4.42", "ARMEN"); b.Add("2.5.4.4", "SARGSYAN"); }));
        Assert.Equal("ARMEN SARGSYAN", id.Name);
        Assert.Equal("1234567890", id.PublicServiceNumber);
    }

    [Theory]
    [InlineData("ARMEN SARGSYAN 1234567890", "ARMEN SARGSYAN", "1234567890")]
    [InlineData("ARMEN SARGSYAN, 0987654321", "ARMEN SARGSYAN", "0987654321")]
    [InlineData("ARMEN SARGSYAN-1234567890", "ARMEN SARGSYAN", "1234567890")]
    [InlineData("ARMEN SARGSYAN", "ARMEN SARGSYAN", null)]
    [InlineData("ARMEN SARGSYAN 12345678901", "ARMEN SARGSYAN 12345678901", null)]
    public void A_Trailing_Ten_Digit_Group_Of_The_Cn_Is_The_Number(string cn, string name, string? number)
    {
        var id = HolderIdentity.FromSubject(Subject(b => b.AddCommonName(cn)));
        Assert.Equal(name, id.Name);
        Assert.Equal(number, id.PublicServiceNumber);
    }

    [Fact]
    public void Attributes_Of_A_Multi_Valued_Rdn_Are_Read_Like_Single_Ones()
    {
        // openssl req -multivalue-rdn -subj '/C=AM/GN=ANNA+SN=MELIKYAN/serialNumber=4567890123': one SET, two attributes.
        var w = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        void Attribute(string oid, string value)
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(oid);
                w.WriteCharacterString(System.Formats.Asn1.UniversalTagNumber.UTF8String, value);
            }
        }

        using (w.PushSequence())
        {
            using (w.PushSetOf()) { Attribute("2.5.4.6", "AM"); }
            using (w.PushSetOf()) { Attribute("2.5.4.42", "ANNA"); Attribute("2.5.4.4", "MELIKYAN"); }
            using (w.PushSetOf()) { Attribute("2.5.4.5", "4567890123"); }
        }

        var id = HolderIdentity.FromSubject(w.Encode());
        Assert.Equal("ANNA MELIKYAN", id.Name);
        Assert.Equal("4567890123", id.PublicServiceNumber);
    }

    [Fact]
    public void A_Latin_Name_Is_Preferred_To_An_Armenian_One()
    {
        var id = HolderIdentity.FromSubject(Subject(b => { b.AddCommonName("ԱՐՄԵՆ ՍԱՐԳՍՅԱՆ 1234567890"); b.Add("2.5.4.42", "ARMEN"); b.Add("2.5.4.4", "SARGSYAN"); }));
        Assert.Equal("ARMEN SARGSYAN", id.Name);
        var armenianOnly = HolderIdentity.FromSubject(Subject(b => b.AddCommonName("ԱՐՄԵՆ ՍԱՐԳՍՅԱՆ 1234567890")));
        Assert.Equal("ԱՐՄԵՆ ՍԱՐԳՍՅԱՆ", armenianOnly.Name);
        Assert.Equal("1234567890", armenianOnly.PublicServiceNumber);
    }

    [Theory]
    [InlineData(X509KeyUsageFlags.NonRepudiation, CertificateKind.Signing)]
    [InlineData(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, CertificateKind.Authentication)]
    [InlineData(X509KeyUsageFlags.KeyEncipherment, CertificateKind.Unknown)]
    public void Kind_From_Key_Usage(X509KeyUsageFlags usage, CertificateKind expected)
    {
        Assert.Equal(expected, CertificateService.KindFromKeyUsage(Make(usage)));
    }

    [Fact]
    public void The_Token_Decides_The_Kind_And_A_Contradicting_Key_Usage_Is_Flagged()
    {
        X509Certificate2 signing = Make(X509KeyUsageFlags.NonRepudiation);
        Pkcs11Token authToken = new("/m.so", 1, "r", "ARMID (AuthPIN)", "S1", "M", "F", Pkcs11Flags.TokenInitialized, 4, 8);
        EkengCertificate c = CertificateService.Describe(signing.RawData, authToken, "cert", DateTime.UtcNow, NullLogger.Instance)!;
        Assert.Equal(CertificateKind.Authentication, c.Kind);
        Assert.False(c.KindMatchesKeyUsage);
        EkengCertificate noToken = CertificateService.Describe(signing.RawData, null, "cert", DateTime.UtcNow, NullLogger.Instance)!;
        Assert.Equal(CertificateKind.Signing, noToken.Kind);
        Assert.True(noToken.KindMatchesKeyUsage);
    }

    [Fact]
    public void DaysLeft_Counts_Whole_Days_And_Goes_Negative_When_Expired()
    {
        X509Certificate2 cert = Make(X509KeyUsageFlags.DigitalSignature);
        Assert.Equal(9, CertificateService.Describe(cert.RawData, null, "c", cert.NotAfter.ToUniversalTime().AddDays(-9.5), NullLogger.Instance)!.DaysLeft);
        Assert.Equal(-2, CertificateService.Describe(cert.RawData, null, "c", cert.NotAfter.ToUniversalTime().AddDays(1.5), NullLogger.Instance)!.DaysLeft);
    }

    private static X509Certificate2 Make(X509KeyUsageFlags usage)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ARMEN SARGSYAN 1234567890", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(100));
    }
}
