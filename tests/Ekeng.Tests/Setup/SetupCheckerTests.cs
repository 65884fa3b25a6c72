using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Certificates;
using Ekeng.Chromium;
using Ekeng.Firefox;
using Ekeng.Pkcs11;
using Ekeng.Platform;
using Ekeng.Portal;
using Ekeng.Setup;
using Ekeng.Tests.Firefox;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Tests.Setup;

/// <summary>Test-EkengSetup's checks that need no card: SYSTEM context, PUK, chain, expiry wording, the policy check.</summary>
public sealed class SetupCheckerTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static (X509Certificate2 Root, EkengCertificate Leaf) Chain(int leafDays, string rootName = "CN=Ekeng Test Citizen CA")
    {
        using RSA rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest(rootName, rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        X509Certificate2 root = rootRequest.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(10));
        using RSA leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=ARMEN SARGSYAN 1234567890", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 leaf = leafRequest.Create(root, Now.AddDays(-10), Now.AddDays(leafDays), new byte[] { 1, 2, 3, 4 });
        var publicPart = X509CertificateLoader.LoadCertificate(leaf.RawData);
        return (X509CertificateLoader.LoadCertificate(root.RawData), new EkengCertificate(publicPart, CertificateKind.Authentication, true, HolderIdentity.FromSubject(publicPart.SubjectName.RawData), null, "auth", Now));
    }

    [Fact]
    public void The_Chain_Passes_To_The_Roots_Given_And_Fails_To_Another_Root_Or_None()
    {
        var (root, leaf) = Chain(400);
        var (otherRoot, _) = Chain(400, "CN=Another CA");
        Assert.Equal(PortalCheckStatus.Pass, SetupChecker.ChainCheck([leaf], new SetupOptions { TrustedRoots = [root], Now = Now }, revocation: false).Status);
        PortalCheck other = SetupChecker.ChainCheck([leaf], new SetupOptions { TrustedRoots = [otherRoot], Now = Now }, revocation: false);
        Assert.Equal(PortalCheckStatus.Fail, other.Status);
        Assert.Contains("-TrustedRootFile", other.Remedy);
        // The test CA is in no system store: the system's roots do not vouch for it.
        Assert.Equal(PortalCheckStatus.Fail, SetupChecker.ChainCheck([leaf], new SetupOptions { Now = Now }, revocation: false).Status);
        Assert.Equal(PortalCheckStatus.NotApplicable, SetupChecker.ChainCheck([], new SetupOptions { Now = Now }, revocation: false).Status);
    }

    [Fact]
    public void Revocation_Is_A_Fail_When_The_Certificate_Names_No_Revocation_Service_And_Pass_Is_Never_Assumed()
    {
        var (root, leaf) = Chain(400);
        PortalCheck check = SetupChecker.ChainCheck([leaf], new SetupOptions { TrustedRoots = [root], Now = Now, CheckRevocation = true, RevocationTimeout = TimeSpan.FromSeconds(2) }, revocation: true);
        Assert.Equal("Revocation", check.Name);
        Assert.Equal(PortalCheckStatus.Fail, check.Status);
        Assert.Matches("Revocation|OfflineRevocation|did not answer", check.Detail);
    }

    [Theory]
    [InlineData(10, 30, PortalCheckStatus.Warning)]
    [InlineData(10, 5, PortalCheckStatus.Pass)]
    [InlineData(400, 30, PortalCheckStatus.Pass)]
    [InlineData(-1, 30, PortalCheckStatus.Fail)]
    public void A_Certificate_Warns_Under_WarningDays_And_Fails_When_Expired(int leafDays, int warningDays, PortalCheckStatus expected)
    {
        var (_, leaf) = Chain(leafDays);
        PortalCheck check = PortalReadiness.CertificateCheck("AuthCertificate", leaf, Now, warningDays, withHolder: true);
        Assert.Equal(expected, check.Status);
        Assert.Contains("ARMEN SARGSYAN 1234567890", check.Detail);
    }

    [Theory]
    [InlineData(0UL, PortalCheckStatus.Pass)]
    [InlineData(Pkcs11Flags.SoPinLocked, PortalCheckStatus.Fail)]
    [InlineData(Pkcs11Flags.SoPinFinalTry, PortalCheckStatus.Warning)]
    public void The_Puk_Is_Judged_By_The_Token_Flags(ulong flags, PortalCheckStatus expected)
    {
        var token = new Pkcs11Token("/usr/lib/ccs/libccpkip11.so", 1, "slot", "ARMID (AuthPIN)", "0011223344", "model", "CryptoTech", flags | Pkcs11Flags.TokenInitialized | Pkcs11Flags.UserPinInitialized, 4, 8);
        Assert.Equal(expected, SetupChecker.PukCheck(token.Pin).Status);
        Assert.Equal(PortalCheckStatus.NotApplicable, SetupChecker.PukCheck(null).Status);
    }

    [Fact]
    public void As_System_The_Per_User_Browser_Checks_Say_Why_And_Which_Setting_Never_Pass()
    {
        using var home = new TempDir();
        var environment = new FakeEnvironment(OsPlatform.Linux, home.Path);
        // A profile WITH the module exists in this (SYSTEM's) home: it must not turn into a silent pass.
        string profile = home.Combine(".mozilla", "firefox", "p.default");
        Directory.CreateDirectory(profile);
        File.WriteAllText(home.Combine(".mozilla", "firefox", "profiles.ini"), "[Profile0]\nName=default\nIsRelative=1\nPath=p.default\nDefault=1\n");
        File.WriteAllText(Path.Combine(profile, "pkcs11.txt"), "library=/usr/lib/ccs/libccpkip11.so\nname=ARMID (CryptoCard)\n\n");
        Assert.Equal(PortalCheckStatus.Pass, BrowserChecks.Firefox("/usr/lib/ccs/libccpkip11.so", environment, NullLogger.Instance, perUserApplicable: true, requireEveryProfile: true).Status);

        PortalCheck firefox = BrowserChecks.Firefox("/usr/lib/ccs/libccpkip11.so", environment, NullLogger.Instance, perUserApplicable: false, requireEveryProfile: true);
        PortalCheck chromium = BrowserChecks.ChromiumModule("/usr/lib/ccs/libccpkip11.so", environment, NullLogger.Instance, perUserApplicable: false);
        foreach (PortalCheck check in new[] { firefox, chromium })
        {
            Assert.Equal(PortalCheckStatus.NotApplicable, check.Status);
            Assert.Contains("SYSTEM", check.Detail);
            Assert.Contains("Run this script using the logged on credentials", check.Remedy);
        }

        Assert.Contains("Set-FirefoxCryptoModule -Scope Policy", firefox.Remedy);
    }

    [Fact]
    public void Firefox_Fails_With_The_Remedy_When_A_Profile_Lacks_The_Module()
    {
        using var home = new TempDir();
        var environment = new FakeEnvironment(OsPlatform.Linux, home.Path);
        foreach (string name in new[] { "a", "b" })
        {
            Directory.CreateDirectory(home.Combine(".mozilla", "firefox", name));
        }

        File.WriteAllText(home.Combine(".mozilla", "firefox", "profiles.ini"), "[Profile0]\nName=a\nIsRelative=1\nPath=a\n\n[Profile1]\nName=b\nIsRelative=1\nPath=b\n");
        File.WriteAllText(home.Combine(".mozilla", "firefox", "a", "pkcs11.txt"), "library=/usr/lib/ccs/libccpkip11.so\nname=ARMID (CryptoCard)\n\n");
        PortalCheck every = BrowserChecks.Firefox("/usr/lib/ccs/libccpkip11.so", environment, NullLogger.Instance, perUserApplicable: true, requireEveryProfile: true);
        Assert.Equal(PortalCheckStatus.Fail, every.Status);
        Assert.Contains(home.Combine(".mozilla", "firefox", "b"), every.Detail);
        Assert.Contains("Set-FirefoxCryptoModule", every.Remedy);
        // The portal's readiness check asks for any profile (the lead's contract).
        Assert.Equal(PortalCheckStatus.Pass, BrowserChecks.Firefox("/usr/lib/ccs/libccpkip11.so", environment, NullLogger.Instance, perUserApplicable: true, requireEveryProfile: false).Status);
    }

    [Fact]
    public void The_Chromium_Check_Reads_The_Users_Nss_Database_On_Linux_And_Says_Nothing_To_Register_On_Windows()
    {
        using var home = new TempDir();
        PortalCheck missing = BrowserChecks.ChromiumModule("/usr/lib/ccs/libccpkip11.so", new FakeEnvironment(OsPlatform.Linux, home.Path), NullLogger.Instance, perUserApplicable: true);
        Assert.Equal(PortalCheckStatus.Fail, missing.Status);
        Assert.Contains("-Application Chromium", missing.Remedy);
        Directory.CreateDirectory(home.Combine(".pki", "nssdb"));
        File.WriteAllText(home.Combine(".pki", "nssdb", "pkcs11.txt"), "library=/usr/lib/ccs/libccpkip11.so\nname=ARMID (CryptoCard)\n\n");
        Assert.Equal(PortalCheckStatus.Pass, BrowserChecks.ChromiumModule("/usr/lib/ccs/libccpkip11.so", new FakeEnvironment(OsPlatform.Linux, home.Path), NullLogger.Instance, perUserApplicable: true).Status);
        PortalCheck windows = BrowserChecks.ChromiumModule(@"C:\Windows\System32\ccpkip11.dll", new FakeEnvironment(OsPlatform.Windows, home.Path), NullLogger.Instance, perUserApplicable: true);
        Assert.Equal(PortalCheckStatus.Pass, windows.Status);
        Assert.Contains("certificate store", windows.Detail);
    }

    [Fact]
    public void The_AutoSelect_Check_Passes_Only_For_The_Cards_Issuer()
    {
        var registry = new FakeRegistry();
        var chrome = new RegistryCertificatePolicyTarget(ChromiumBrowser.Chrome, registry);
        Assert.Equal(PortalCheckStatus.Warning, BrowserChecks.CertificateAutoSelect(AutoSelectCertificatePolicy.DefaultUrl, "Citizen CA", [chrome]).Status);
        chrome.Set(AutoSelectCertificatePolicy.DefaultUrl, "Other CA", (_, _) => true);
        PortalCheck other = BrowserChecks.CertificateAutoSelect(AutoSelectCertificatePolicy.DefaultUrl, "Citizen CA", [chrome]);
        Assert.Equal(PortalCheckStatus.Warning, other.Status);
        Assert.Contains("Set-ChromiumCertificatePolicy -IssuerCommonName 'Citizen CA'", other.Remedy);
        chrome.Set(AutoSelectCertificatePolicy.DefaultUrl, "Citizen CA", (_, _) => true);
        Assert.Equal(PortalCheckStatus.Pass, BrowserChecks.CertificateAutoSelect(AutoSelectCertificatePolicy.DefaultUrl, "Citizen CA", [chrome]).Status);
    }

    [Theory]
    [InlineData(10, true, "in 10 day(s)")]
    [InlineData(29, true, "in 29 day(s)")]
    [InlineData(31, false, null)]
    [InlineData(-3, true, "ended on")]
    public void The_Expiry_Warning_Speaks_Within_30_Days(int daysLeft, bool warns, string? text)
    {
        string? certificate = ExpiryWarning.ForCertificate(Chain(daysLeft).Leaf, Now);
        string? fee = ExpiryWarning.ForPaidUntil(Now.AddDays(daysLeft).AddHours(1), Now);
        Assert.Equal(warns, certificate != null);
        Assert.Equal(warns, fee != null);
        if (text != null)
        {
            Assert.Contains(text, fee);
            Assert.Contains("ARMEN SARGSYAN", certificate);
        }
    }
}
