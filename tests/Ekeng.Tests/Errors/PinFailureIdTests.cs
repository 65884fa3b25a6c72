using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.PowerShell.Infrastructure;
using Ekeng.Tests.Pkcs11;
using Ekeng.Tests.Security;
using Net.Pkcs11Interop.Common;
using PS = System.Management.Automation.PowerShell;

namespace Ekeng.Tests.Errors;

/// <summary>
/// Runs the PIN service against the fake PKCS#11 module (one slot, its secret call failing with the CKR_ code given)
/// and reports the failure the way the PIN cmdlets do (EkengCmdlet.RunService, then WriteEkengError), so that the
/// README's ids for return codes SoftHSM never gives reach a real ErrorRecord in a real runspace.
/// </summary>
[Cmdlet("Test", "EkengPinFailure")]
public sealed class TestEkengPinFailureCommand : EkengCmdlet
{
    /// <summary>The fake module the service runs against (set by the test before invoking).</summary>
    internal static FakePkcs11Module? Fake { get; set; }

    [Parameter(Mandatory = true)]
    public PinOperation Operation { get; set; }

    protected override void ProcessRecord()
    {
        FakePkcs11Module fake = Fake!;
        var service = new PinService(CreateLogger<PinService>(), fake);
        Pkcs11Token token = fake.Tokens[0];
        var request = Operation == PinOperation.Change
            ? new PinRequest(token, SecretTests.Secure("13572468"), SecretTests.Secure("24681357"))
            : new PinRequest(token, SecretTests.Secure("13572468"));
        try
        {
            RunService(_ => service.Execute(Operation, fake.Path, new[] { request }, Operation == PinOperation.Change ? null : SecretTests.Secure("86420975"), force: false));
        }
        catch (EkengException e)
        {
            WriteEkengError(e, token.Label);
        }
    }
}

public sealed class PinFailureIdTests
{
    private static (FakePkcs11Module fake, ErrorRecord record) Run(PinOperation operation, ulong flags, string function, CKR rv)
    {
        var fake = new FakePkcs11Module();
        fake.Tokens.Add(FakePkcs11Module.Token("ARMID (AuthPIN)", flags, 1));
        fake.FailOn[1] = (function, (ulong)rv);
        TestEkengPinFailureCommand.Fake = fake;
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.Commands.Add(new SessionStateCmdletEntry("Test-EkengPinFailure", typeof(TestEkengPinFailureCommand), null));
        using PS ps = PS.Create(iss);
        ps.AddCommand("Test-EkengPinFailure").AddParameter("Operation", operation);
        ps.Invoke();
        Assert.Single(ps.Streams.Error);
        return (fake, ps.Streams.Error[0]);
    }

    private const string Cmdlet = ",Ekeng.Tests.Errors.TestEkengPinFailureCommand";

    [Fact]
    public void Another_Session_Logged_In_When_The_Puk_Is_Sent_Is_TokenBusy_ResourceBusy()
    {
        var (fake, record) = Run(PinOperation.Activate, 0, "C_Login", CKR.CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
        Assert.Equal("TokenBusy" + Cmdlet, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceBusy, record.CategoryInfo.Category);
        Assert.Contains("Another session", record.Exception.Message);
        Assert.Equal(new[] { "C_Login(SO)+C_InitPIN slot 1" }, fake.SecretCalls);
    }

    [Fact]
    public void A_Write_Protected_Token_Is_TokenWriteProtected_PermissionDenied()
    {
        var (fake, record) = Run(PinOperation.Change, Pkcs11Flags.UserPinInitialized, "C_SetPIN", CKR.CKR_TOKEN_WRITE_PROTECTED);
        Assert.Equal("TokenWriteProtected" + Cmdlet, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, record.CategoryInfo.Category);
        Assert.Contains("write-protected", record.Exception.Message);
        Assert.Single(fake.SecretCalls);

        // The rule names no action of its own: the catalogue's reaches the record.
        Assert.Equal(TokenErrors.TokenWriteProtected.Action, record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_New_Pin_The_Token_Refuses_For_Its_Characters_Is_PinInvalid_InvalidArgument()
    {
        var (fake, record) = Run(PinOperation.Change, Pkcs11Flags.UserPinInitialized, "C_SetPIN", CKR.CKR_PIN_INVALID);
        Assert.Equal("PinInvalid" + Cmdlet, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Contains("refused characters of the new PIN", record.Exception.Message);
        Assert.Single(fake.SecretCalls);
    }

    [Fact]
    public void A_Token_Removed_During_The_Call_Is_TokenNotFound_ObjectNotFound()
    {
        var (_, record) = Run(PinOperation.Activate, 0, "C_InitPIN", CKR.CKR_DEVICE_REMOVED);
        Assert.Equal("TokenNotFound" + Cmdlet, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        Assert.Contains("CKR_DEVICE_REMOVED", record.Exception.Message);
    }

    [Fact]
    public void A_Change_The_Token_Refuses_As_Not_Initialised_Is_PinNotInitialized_InvalidOperation()
    {
        // The token's flags said initialised (the state check passed); C_SetPIN then says otherwise.
        var (_, record) = Run(PinOperation.Change, Pkcs11Flags.UserPinInitialized, "C_SetPIN", CKR.CKR_USER_PIN_NOT_INITIALIZED);
        Assert.Equal("PinNotInitialized" + Cmdlet, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, record.CategoryInfo.Category);
    }

    [Fact]
    public void An_Unmapped_Return_Code_Is_Pkcs11Error_DeviceError_Naming_The_Code()
    {
        var (_, record) = Run(PinOperation.Change, Pkcs11Flags.UserPinInitialized, "C_SetPIN", CKR.CKR_DEVICE_MEMORY);
        Assert.Equal("Pkcs11Error" + Cmdlet, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.DeviceError, record.CategoryInfo.Category);
        Assert.Contains("CKR_DEVICE_MEMORY", record.Exception.Message);
    }

    [Fact]
    public void A_New_Pin_Equal_To_The_Current_One_Is_PinUnchanged_And_Nothing_Is_Sent()
    {
        var fake = new FakePkcs11Module();
        fake.Tokens.Add(FakePkcs11Module.Token("ARMID (AuthPIN)", Pkcs11Flags.UserPinInitialized, 1));
        var request = new PinRequest(fake.Tokens[0], SecretTests.Secure("24681357"), SecretTests.Secure("24681357"));
        var e = Assert.Throws<PinOperationException>(() => new PinService(null, fake).Execute(PinOperation.Change, fake.Path, new[] { request }, null, force: false));
        Assert.Equal("PinUnchanged", e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(fake.SecretCalls);
    }
}
