using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Crm.Wire;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.PowerShell.Commands;
using Ekeng.Tests.Pkcs11;
using Microsoft.Extensions.Logging.Abstractions;
using PS = System.Management.Automation.PowerShell;

namespace Ekeng.Tests.Certificates;

/// <summary>
/// Which certificate a login uses: the card's Authentication certificate, found on its AuthPIN token (a card without
/// one is AuthenticationCertificateNotFound), and never the signing one nor a registration that forgot its certificate
/// (refused by the CRM commands before any PIN or network: the service named here is a closed loopback port).
/// </summary>
public sealed class AuthCertificateTests
{
    private const ulong AuthSlot = 1;
    private const ulong SignSlot = 2;

    private static readonly Uri NoService = new("https://127.0.0.1:9/");

    private static X509Certificate2 Make(X509KeyUsageFlags usage)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ARMEN SARGSYAN 1234567890", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(100));
    }

    private static (FakePkcs11Module fake, EkengCard card) Card(bool authCertificate)
    {
        var fake = new FakePkcs11Module();
        fake.Tokens.Add(FakePkcs11Module.Token("ARMID (AuthPIN)", Pkcs11Flags.UserPinInitialized, AuthSlot));
        fake.Tokens.Add(FakePkcs11Module.Token("ARMID (SignPIN)", Pkcs11Flags.UserPinInitialized, SignSlot));
        fake.Certificates[SignSlot] = new() { new Pkcs11CertificateObject(Make(X509KeyUsageFlags.NonRepudiation).RawData, "Sign", new byte[] { 2 }) };
        if (authCertificate)
        {
            fake.Certificates[AuthSlot] = new() { new Pkcs11CertificateObject(Make(X509KeyUsageFlags.DigitalSignature).RawData, "Auth", new byte[] { 1 }) };
        }

        return (fake, new EkengCard("Fake Reader 00 00", CardState.Present, new byte[] { 0x3B }, fake.Path, fake.Tokens.ToList()));
    }

    private static EkengCertificate Certificate(CertificateKind kind)
    {
        var (fake, card) = Card(authCertificate: true);
        return new CertificateService(null, fake).GetCertificates(card).Single(c => c.Kind == kind);
    }

    [Fact]
    public void A_Card_Without_An_Authentication_Certificate_Is_AuthenticationCertificateNotFound()
    {
        var (fake, card) = Card(authCertificate: false);
        var service = new CertificateService(null, fake);

        // Its signing certificate is read, and is not taken for the login's.
        Assert.Equal(CertificateKind.Signing, Assert.Single(service.GetCertificates(card)).Kind);
        var e = Assert.Throws<EkengException>(() => service.GetAuthenticationCertificate(card));
        Assert.Equal("AuthenticationCertificateNotFound", e.ErrorId);
        Assert.Equal(EkengErrorKind.ObjectNotFound, e.Kind);
        Assert.Contains("Fake Reader 00 00", e.Message);

        // The same card with its certificate gives it.
        var (withAuth, full) = Card(authCertificate: true);
        Assert.Equal(CertificateKind.Authentication, new CertificateService(null, withAuth).GetAuthenticationCertificate(full).Kind);
    }

    [Fact]
    public void The_Signing_Certificate_Is_NotAnAuthenticationCertificate()
    {
        EkengCertificate signing = Certificate(CertificateKind.Signing);
        var e = Assert.Throws<EkengException>(() => CertificateService.RequireAuthentication(signing));
        Assert.Equal("NotAnAuthenticationCertificate", e.ErrorId);
        Assert.Same(signing, e.TargetObject);

        EkengCertificate auth = Certificate(CertificateKind.Authentication);
        Assert.Same(auth, CertificateService.RequireAuthentication(auth));
    }

    private static ErrorRecord RunCrm(Type cmdlet, string name, string parameter, object value)
    {
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.Commands.Add(new SessionStateCmdletEntry(name, cmdlet, null));
        using PS ps = PS.Create(iss);
        ps.AddCommand(name).AddParameter(parameter, value).AddParameter("CrmUri", NoService);
        try
        {
            Collection<PSObject> output = ps.Invoke();
            Assert.Empty(output);
            return Assert.Single(ps.Streams.Error);
        }
        catch (RuntimeException e)
        {
            // A refusal that ends the command (ThrowTerminatingError).
            Assert.Empty(ps.Streams.Error);
            return e.ErrorRecord;
        }
    }

    [Fact]
    public void Get_EkengCrmRegistration_Refuses_The_Signing_Certificate_NotAnAuthenticationCertificate_InvalidArgument()
    {
        ErrorRecord record = RunCrm(typeof(GetEkengCrmRegistrationCommand), "Get-EkengCrmRegistration", "Certificate", Certificate(CertificateKind.Signing));
        Assert.Equal("NotAnAuthenticationCertificate,Ekeng.PowerShell.Commands.GetEkengCrmRegistrationCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Contains("-Kind Auth", record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_Registration_Without_Its_Certificate_Is_RegistrationWithoutCertificate_InvalidArgument()
    {
        var registration = new CrmRegistration(new RegistrationDto { Status = CrmRegistrationStatus.PendingCode, Phone = "+37491234567" }, NoService);
        Assert.Null(registration.Certificate);
        ErrorRecord record = RunCrm(typeof(GetEkengCrmRegistrationCommand), "Get-EkengCrmRegistration", "Registration", registration);
        Assert.Equal("RegistrationWithoutCertificate,Ekeng.PowerShell.Commands.GetEkengCrmRegistrationCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Contains("Get-EkengCard | Get-EkengCrmRegistration", record.ErrorDetails.RecommendedAction);

        // With its certificate, the signing one, the registration is refused for that instead.
        registration.Certificate = Certificate(CertificateKind.Signing);
        Assert.Equal("NotAnAuthenticationCertificate,Ekeng.PowerShell.Commands.GetEkengCrmRegistrationCommand", RunCrm(typeof(GetEkengCrmRegistrationCommand), "Get-EkengCrmRegistration", "Registration", registration).FullyQualifiedErrorId);
    }
}
