using System.Net;
using System.Net.Http;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ekeng.Pkcs11;
using Ekeng.Certificates;
using Ekeng.Crm;
using Ekeng.Diagnostics;
using Ekeng.Http;
using Ekeng.Portal;
using Ekeng.Setup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Tests.Setup;

/// <summary>
/// Test-EkengSetup's PIN-only checks (EkengRegistration, EkengFee) as logic: when they are made at all, the PIN's
/// shape, the login made once through a handler factory that counts, and the statuses from EKENG's answer.
/// </summary>
public sealed class EkengRecordsCheckTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Uri Service = new("https://127.0.0.1:9/");
    private static readonly PortalCheck ServicePass = new("EkengService", PortalCheckStatus.Pass, "speaks it");

    private static SecureString Secret(string text)
    {
        var s = new SecureString();
        foreach (char c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    private static EkengCertificate Auth()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ARMEN SARGSYAN 1234567890", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 self = request.CreateSelfSigned(Now.AddDays(-10), Now.AddDays(400));
        var publicPart = X509CertificateLoader.LoadCertificate(self.RawData);
        return new EkengCertificate(publicPart, CertificateKind.Authentication, true, HolderIdentity.FromSubject(publicPart.SubjectName.RawData), null, "auth", Now);
    }

    /// <summary>A card login that counts its calls: it refuses the PIN, or answers GET api/v1/registration with <see cref="Json"/>.</summary>
    private sealed class CountingLogin : IClientCertificateHandlerFactory
    {
        public int Logins { get; private set; }

        public bool RefusePin { get; init; }

        public string Json { get; init; } = "{}";

        public List<string> Paths { get; } = [];

        public string Name => "counting";

        public HttpMessageHandler CreateHandler(ClientCertificateRequest request, ServerTrust trust, ILogger logger)
        {
            Logins++;
            Assert.NotNull(request.Pin);
            if (RefusePin)
            {
                throw new EkengException(PinErrors.PinIncorrect, "The PIN of 'ARMID (AuthPIN)' is incorrect (tried once; never retried by this module).");
            }

            return new Answer(this);
        }

        private sealed class Answer(CountingLogin owner) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                owner.Paths.Add(request.Method + " " + request.RequestUri!.AbsolutePath);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(owner.Json, Encoding.UTF8, "application/json") });
            }
        }
    }

    private static SetupOptions Options(CountingLogin login, string? pin = "73915284", int warningDays = 30) => new()
    {
        CrmUri = Service,
        Pin = pin is null ? null : Secret(pin),
        Now = Now,
        WarningDays = warningDays,
        HandlerFactory = login,
        ServiceTimeout = TimeSpan.FromSeconds(5),
    };

    private static string Registration(string status, string? paidUntil) =>
        $"{{\"holderName\":\"ARMEN SARGSYAN\",\"publicServiceNumber\":\"1234567890\",\"status\":\"{status}\",\"payOnline\":false,\"paidUntil\":{(paidUntil is null ? "null" : "\"" + paidUntil + "\"")}}}";

    [Fact]
    public void No_Service_A_Service_That_Failed_The_Probe_No_Pin_Or_No_Certificate_Is_NotApplicable_With_No_Login()
    {
        var login = new CountingLogin();
        EkengCertificate auth = Auth();

        PortalCheck[] none = EkengRecordsCheck.Run(Options(login), new PortalCheck("EkengService", PortalCheckStatus.NotApplicable, "none named"), auth, NullLogger.Instance);
        Assert.All(none, c => Assert.Equal(PortalCheckStatus.NotApplicable, c.Status));
        Assert.Contains("publishes no API", none[0].Detail);
        Assert.Contains("https://crm.ekeng.am", none[0].Remedy);

        PortalCheck[] notSpoken = EkengRecordsCheck.Run(Options(login), new PortalCheck("EkengService", PortalCheckStatus.Fail, "CrmContractNotSpoken"), auth, NullLogger.Instance);
        Assert.All(notSpoken, c => Assert.Equal(PortalCheckStatus.NotApplicable, c.Status));
        Assert.Contains("did not pass the contract check", notSpoken[1].Detail);

        PortalCheck[] noPin = EkengRecordsCheck.Run(Options(login, pin: null), ServicePass, auth, NullLogger.Instance);
        Assert.Equal(["EkengRegistration", "EkengFee"], noPin.Select(c => c.Name));
        Assert.All(noPin, c => Assert.StartsWith("needs -Pin", c.Detail));

        Assert.All(EkengRecordsCheck.Run(Options(login), ServicePass, null, NullLogger.Instance), c => Assert.Equal(PortalCheckStatus.NotApplicable, c.Status));
        Assert.Equal(0, login.Logins);
    }

    [Fact]
    public void A_Wrong_Pin_Is_Both_Checks_Fail_After_One_Login_Never_Retried()
    {
        var login = new CountingLogin { RefusePin = true };
        PortalCheck[] checks = EkengRecordsCheck.Run(Options(login), ServicePass, Auth(), NullLogger.Instance);
        Assert.Equal(1, login.Logins);
        Assert.All(checks, c =>
        {
            Assert.Equal(PortalCheckStatus.Fail, c.Status);
            Assert.StartsWith("PinIncorrect", c.Detail);
        });
    }

    [Theory]
    [InlineData("12a4", "PinNotDigits")]
    [InlineData("123", "PinLengthOutOfRange")]
    [InlineData("12345678901234567", "PinLengthOutOfRange")]
    public void A_Malformed_Pin_Is_A_Parameter_Error_Before_Any_Login(string pin, string errorId)
    {
        EkengException e = Assert.Throws<EkengException>(() => PinCheck.RequireShape(null, "ARMID (AuthPIN)", Secret(pin)));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidArgument, e.Kind);
        Assert.True(CommandEndingErrors.EndsCommand("PinNotDigits"));

        var login = new CountingLogin();
        Assert.Equal(errorId, Assert.Throws<EkengException>(() => EkengRecordsCheck.Run(Options(login, pin), ServicePass, Auth(), NullLogger.Instance)).ErrorId);
        Assert.Equal(0, login.Logins);
        PinCheck.RequireShape(null, "ARMID (AuthPIN)", Secret("1234"));
    }

    [Theory]
    [InlineData("Active", "2027-06-25", 30, PortalCheckStatus.Pass, PortalCheckStatus.Pass, "paid until 2027-06-25 (199 days left)")]
    [InlineData("Active", "2026-12-17", 30, PortalCheckStatus.Pass, PortalCheckStatus.Warning, "ends on 2026-12-17, in 9 day(s)")]
    [InlineData("Active", "2026-12-17", 5, PortalCheckStatus.Pass, PortalCheckStatus.Pass, "paid until 2026-12-17")]
    [InlineData("Active", "2026-12-04", 30, PortalCheckStatus.Pass, PortalCheckStatus.Fail, "ended on 2026-12-04")]
    [InlineData("Active", null, 30, PortalCheckStatus.Pass, PortalCheckStatus.Fail, "not paid")]
    [InlineData("NotRegistered", null, 30, PortalCheckStatus.Fail, PortalCheckStatus.NotApplicable, "not registered yet")]
    [InlineData("PendingCode", null, 30, PortalCheckStatus.Fail, PortalCheckStatus.NotApplicable, "not registered yet")]
    [InlineData("PendingPayment", null, 30, PortalCheckStatus.Fail, PortalCheckStatus.Fail, "not paid")]
    public void The_Statuses_Come_From_One_Get_Of_The_Registration(string status, string? paidUntil, int warningDays, PortalCheckStatus registration, PortalCheckStatus fee, string feeText)
    {
        var login = new CountingLogin { Json = Registration(status, paidUntil) };
        PortalCheck[] checks = EkengRecordsCheck.Run(Options(login, warningDays: warningDays), ServicePass, Auth(), NullLogger.Instance);
        Assert.Equal(1, login.Logins);
        Assert.Equal(["GET /api/v1/registration"], login.Paths);
        Assert.Equal(registration, checks[0].Status);
        Assert.Equal(fee, checks[1].Status);
        Assert.Contains(feeText, checks[1].Detail);
    }

    [Fact]
    public void The_Remedies_Name_The_Next_Step()
    {
        Assert.Contains("Register-EkengCrm -PhoneNumber", EkengRecordsCheck.Registration(CrmRegistrationStatus.NotRegistered, null, Now).Remedy);
        Assert.Contains("-SmsCode", EkengRecordsCheck.Registration(CrmRegistrationStatus.PendingCode, null, Now).Remedy);
        Assert.Equal("Invoke-EkengFeePayment -NextPeriod", EkengRecordsCheck.Fee(CrmRegistrationStatus.Active, Now.AddDays(10), Now, 30).Remedy);
        Assert.Equal("Invoke-EkengFeePayment", EkengRecordsCheck.Fee(CrmRegistrationStatus.Active, Now.AddDays(-1), Now, 30).Remedy);
        Assert.Null(EkengRecordsCheck.Fee(CrmRegistrationStatus.Active, Now.AddDays(100), Now, 30).Remedy);
    }
}
