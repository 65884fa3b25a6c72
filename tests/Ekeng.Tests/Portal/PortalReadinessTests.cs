using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Certificates;
using Ekeng.Pkcs11;
using Ekeng.Portal;

namespace Ekeng.Tests.Portal;

/// <summary>The checks and the guide the registration and fee commands give for the real portal (no PIN, no network).</summary>
public sealed class PortalReadinessTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static Pkcs11Token Token(string label, ulong flags) =>
        new("/usr/lib/ccs/libccpkip11.so", 1, "slot", label, "0011223344", "model", "CryptoTech", flags | Pkcs11Flags.TokenInitialized, 4, 8);

    private static EkengCertificate Certificate(DateTime notBefore, DateTime notAfter, Pkcs11Token? token = null)
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ARMEN SARGSYAN 1234567890", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 made = request.CreateSelfSigned(notBefore, notAfter);
        var publicPart = X509CertificateLoader.LoadCertificate(made.RawData);
        return new EkengCertificate(publicPart, CertificateKind.Authentication, true, HolderIdentity.FromSubject(publicPart.SubjectName.RawData), token, "auth", Now);
    }

    [Theory]
    [InlineData(Pkcs11Flags.UserPinInitialized, PortalCheckStatus.Pass, null)]
    [InlineData(0UL, PortalCheckStatus.Fail, "Initialize-EkengPin")]
    [InlineData(Pkcs11Flags.UserPinInitialized | Pkcs11Flags.UserPinLocked, PortalCheckStatus.Fail, "Unblock-EkengPin")]
    [InlineData(Pkcs11Flags.UserPinInitialized | Pkcs11Flags.UserPinFinalTry, PortalCheckStatus.Warning, "Set-EkengPin")]
    [InlineData(Pkcs11Flags.UserPinInitialized | Pkcs11Flags.UserPinCountLow, PortalCheckStatus.Warning, null)]
    public void A_Pin_Is_Judged_By_Its_Token_Flags(ulong flags, PortalCheckStatus expected, string? remedy)
    {
        PortalCheck check = PortalReadiness.PinCheck("AuthPIN", Token("ARMID (AuthPIN)", flags).Pin);
        Assert.Equal(expected, check.Status);
        Assert.Equal("AuthPIN", check.Name);
        if (remedy is null)
        {
            Assert.Null(check.Remedy);
        }
        else
        {
            Assert.Contains(remedy, check.Remedy);
        }
    }

    [Fact]
    public void A_Pin_Not_Read_Is_Not_Applicable_Not_A_Pass()
    {
        Assert.Equal(PortalCheckStatus.NotApplicable, PortalReadiness.PinCheck("SignPIN", null).Status);
    }

    [Theory]
    [InlineData(-400, 400, PortalCheckStatus.Pass)]
    [InlineData(-400, 29, PortalCheckStatus.Warning)]
    [InlineData(-400, 31, PortalCheckStatus.Pass)]
    [InlineData(-400, -1, PortalCheckStatus.Fail)]
    [InlineData(2, 400, PortalCheckStatus.Fail)]
    public void The_Certificate_Passes_Warns_Under_30_Days_And_Fails_Outside_Its_Validity(int fromDays, int toDays, PortalCheckStatus expected)
    {
        EkengCertificate certificate = Certificate(Now.AddDays(fromDays), Now.AddDays(toDays).AddHours(1));
        Assert.Equal(expected, PortalReadiness.CertificateCheck(certificate, Now).Status);
    }

    [Fact]
    public void Check_Runs_Every_Check_In_The_Manuals_Order_And_A_Failed_Browser_Makes_It_Not_Ready()
    {
        var token = Token("ARMID (AuthPIN)", Pkcs11Flags.UserPinInitialized);
        EkengCertificate certificate = Certificate(Now.AddDays(-10), Now.AddDays(300), token);
        string? askedLibrary = null;
        var readiness = new PortalReadiness(
            browserCheck: library => { askedLibrary = library; return new PortalCheck("Browser", PortalCheckStatus.Fail, "none", "Set-FirefoxCryptoModule"); },
            userStoreCheck: _ => null);
        IReadOnlyList<PortalCheck> checks = readiness.Check(null, certificate, Now);
        Assert.Equal(["AuthPIN", "SignPIN", "Certificate", "CertificateStore", "Browser"], checks.Select(c => c.Name));
        Assert.Equal("/usr/lib/ccs/libccpkip11.so", askedLibrary);
        var guide = new PortalGuide(PortalProcedure.Registration, certificate.HolderName, certificate.PublicServiceNumber, GuideLanguage.En, checks);
        Assert.False(guide.Ready);

        var passing = new PortalReadiness(browserCheck: _ => new PortalCheck("Browser", PortalCheckStatus.Pass, "ok"), userStoreCheck: _ => true);
        Assert.True(new PortalGuide(PortalProcedure.Registration, null, null, GuideLanguage.En, passing.Check(null, certificate, Now)).Ready);
    }

    [Fact]
    public void On_Windows_A_Certificate_Missing_From_The_User_Store_Fails_With_The_Manuals_Remedy()
    {
        EkengCertificate certificate = Certificate(Now.AddDays(-10), Now.AddDays(300), Token("ARMID (AuthPIN)", Pkcs11Flags.UserPinInitialized));
        var readiness = new PortalReadiness(browserCheck: _ => new PortalCheck("Browser", PortalCheckStatus.Pass, "ok"), userStoreCheck: _ => false);
        PortalCheck store = readiness.Check(null, certificate, Now).Single(c => c.Name == "CertificateStore");
        Assert.Equal(PortalCheckStatus.Fail, store.Status);
        Assert.Contains("insert it again", store.Remedy);
    }

    [Theory]
    [InlineData("hy-AM", GuideLanguage.Hy)]
    [InlineData("hy", GuideLanguage.Hy)]
    [InlineData("en-US", GuideLanguage.En)]
    [InlineData("ru-RU", GuideLanguage.En)]
    [InlineData("", GuideLanguage.En)]
    public void The_Language_Follows_The_UI_Culture(string culture, GuideLanguage expected)
    {
        Assert.Equal(expected, GuideLanguages.FromCulture(CultureInfo.GetCultureInfo(culture)));
    }

    [Theory]
    [InlineData(PortalProcedure.Registration, "Activate the certificate")]
    [InlineData(PortalProcedure.FeePayment, "ArCa")]
    [InlineData(PortalProcedure.RegisterAndPay, "4-digit")]
    [InlineData(PortalProcedure.RegistrationStatus, "crm.ekeng.am")]
    [InlineData(PortalProcedure.PaymentStatus, "crm.ekeng.am")]
    public void Every_Procedure_Has_The_Same_Steps_In_Armenian_And_English_Starting_At_The_Real_Page(PortalProcedure procedure, string marker)
    {
        IReadOnlyList<string> en = PortalSteps.Of(procedure, GuideLanguage.En);
        IReadOnlyList<string> hy = PortalSteps.Of(procedure, GuideLanguage.Hy);
        Assert.Equal(en.Count, hy.Count);
        Assert.Contains("https://crm.ekeng.am/", en[0]);
        Assert.Contains("https://crm.ekeng.am/", hy[0]);
        Assert.Contains(en, s => s.Contains(marker, StringComparison.Ordinal));
        // Armenian text is Armenian letters (U+0531-U+058F), not English left untranslated.
        Assert.All(hy.Skip(1), s => Assert.Contains(s, c => c >= '\u0531' && c <= '\u058F'));
        Assert.All(en, s => Assert.DoesNotContain(s, c => c >= '\u0561' && c <= '\u0586'));
    }

    [Fact]
    public void Only_The_Fee_Procedures_Point_At_The_How_To_Pay_Page()
    {
        Assert.Null(new PortalGuide(PortalProcedure.Registration, null, null, GuideLanguage.En, []).InfoUri);
        Assert.Equal(EkengPortal.HowToPayUri, new PortalGuide(PortalProcedure.FeePayment, null, null, GuideLanguage.En, []).InfoUri);
        Assert.Equal(EkengPortal.CrmUri, new PortalGuide(PortalProcedure.FeePayment, null, null, GuideLanguage.Hy, []).Uri);
    }
}
