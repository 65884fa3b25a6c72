using Ekeng.Tests.Security;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Net.Pkcs11Interop.Common;

namespace Ekeng.Tests.Pkcs11;

/// <summary>
/// Issue 7, items 10, 11 and 13: every secret is checked before it reaches a token, a secret shared by two tokens
/// reaches the second only after the first accepted it, per-token secrets, and a failure on the second token says
/// what was already done, with exactly one secret call sent to that token. Asserted on the fake's call log.
/// </summary>
public sealed class PinSecretTests
{
    private const string Puk = "86420975";
    private const string Current = "24681357";
    private const string NewPin = "13572468";

    private static (PinService service, FakePkcs11Module fake) Make(ulong flags, ulong min = 4, ulong max = 8)
    {
        var fake = new FakePkcs11Module();
        fake.Tokens.Add(FakePkcs11Module.Token("ARMID (AuthPIN)", flags, 1, minLength: min, maxLength: max));
        fake.Tokens.Add(FakePkcs11Module.Token("ARMID (SignPIN)", flags, 2, minLength: min, maxLength: max));
        return (new PinService(null, fake), fake);
    }

    private static bool IsLogin(string call) => call.StartsWith("C_Login", StringComparison.Ordinal) || call.StartsWith("C_SetPIN", StringComparison.Ordinal);

    [Theory]
    [InlineData("", "PukLengthOutOfRange")]
    [InlineData("123", "PukLengthOutOfRange")]
    [InlineData("123456789", "PukLengthOutOfRange")]
    [InlineData("8642O975", "PukNotDigits")]
    [InlineData("8642 975", "PukNotDigits")]
    public void A_Bad_Puk_Fails_Before_Any_Login(string puk, string expectedId)
    {
        var (service, fake) = Make(0);
        var requests = fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure(NewPin))).ToList();
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Activate, fake.Path, requests, SecretTests.Secure(puk), force: false));
        Assert.Equal(expectedId, e.ErrorId);
        Assert.Contains("no try was used", e.Message);
        Assert.DoesNotContain(fake.Calls, IsLogin);
    }

    [Theory]
    [InlineData("", "CurrentPinLengthOutOfRange")]
    [InlineData("246", "CurrentPinLengthOutOfRange")]
    [InlineData("246813579", "CurrentPinLengthOutOfRange")]
    [InlineData("2468135x", "CurrentPinNotDigits")]
    public void A_Bad_Current_Pin_Fails_Before_Any_Login(string current, string expectedId)
    {
        var (service, fake) = Make(Pkcs11Flags.UserPinInitialized);
        var requests = fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure(NewPin), SecretTests.Secure(current))).ToList();
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Change, fake.Path, requests, null, force: false));
        Assert.Equal(expectedId, e.ErrorId);
        Assert.DoesNotContain(fake.Calls, IsLogin);
    }

    [Fact]
    public void A_Bad_Secret_For_The_Second_Token_Stops_Before_The_First_Is_Touched()
    {
        var (service, fake) = Make(Pkcs11Flags.UserPinInitialized);
        var requests = new[]
        {
            new PinRequest(fake.Tokens[0], SecretTests.Secure(NewPin), SecretTests.Secure(Current)),
            new PinRequest(fake.Tokens[1], SecretTests.Secure(NewPin), SecretTests.Secure("12")),
        };
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Change, fake.Path, requests, null, force: false));
        Assert.Equal("CurrentPinLengthOutOfRange", e.ErrorId);
        Assert.Empty(fake.SecretCalls);
    }

    [Fact]
    public void Leading_Zeros_Are_Digits_And_Max_Length_Zero_Means_No_Bound()
    {
        var (service, fake) = Make(Pkcs11Flags.UserPinInitialized, min: 4, max: 0);
        var requests = fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure("0000135724681357"), SecretTests.Secure("00246813"))).ToList();
        service.Execute(PinOperation.Change, fake.Path, requests, null, force: false);
        Assert.Equal(new[] { "C_SetPIN slot 1", "C_SetPIN slot 2" }, fake.SecretCalls);
        Assert.Equal(int.MaxValue, fake.Tokens[0].Pin.MaxLength);
    }

    [Fact]
    public void A_Wrong_Shared_Current_Pin_On_The_First_Token_Sends_Nothing_To_The_Second()
    {
        var (service, fake) = Make(Pkcs11Flags.UserPinInitialized);
        fake.FailOn[1] = ("C_SetPIN", (ulong)CKR.CKR_PIN_INCORRECT);
        var shared = SecretTests.Secure(Current);
        var requests = fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure(NewPin), shared)).ToList();
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Change, fake.Path, requests, null, force: false));
        Assert.Equal("PinIncorrect", e.ErrorId);
        Assert.Equal(new[] { "C_SetPIN slot 1" }, fake.SecretCalls);
        Assert.Contains("Nothing was sent to 'ARMID (SignPIN)'", e.Message);
    }

    [Fact]
    public void A_Failure_On_The_Second_Token_Sends_It_Exactly_One_Call_And_Says_What_Was_Done()
    {
        var (service, fake) = Make(Pkcs11Flags.UserPinInitialized);
        fake.FailOn[2] = ("C_SetPIN", (ulong)CKR.CKR_PIN_INCORRECT);
        var shared = SecretTests.Secure(Current);
        var requests = fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure(NewPin), shared)).ToList();
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Change, fake.Path, requests, null, force: false));
        Assert.Equal("PinIncorrect", e.ErrorId);
        Assert.Single(fake.SecretCalls, c => c.EndsWith("slot 2", StringComparison.Ordinal));
        Assert.Equal(new[] { "C_SetPIN slot 1", "C_SetPIN slot 2" }, fake.SecretCalls);
        Assert.Contains("'ARMID (AuthPIN)' WAS changed", e.Message);
        Assert.Contains("-CurrentAuthPin, -CurrentSignPin", e.Message);
    }

    [Fact]
    public void A_Device_Error_On_The_Second_Token_Is_An_EkengException_Naming_What_Was_Done()
    {
        var (service, fake) = Make(0);
        fake.FailOn[2] = ("C_InitPIN", (ulong)CKR.CKR_DEVICE_ERROR);
        var requests = fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure(NewPin))).ToList();
        EkengException e = Assert.ThrowsAny<EkengException>(() => service.Execute(PinOperation.Activate, fake.Path, requests, SecretTests.Secure(Puk), force: false));
        Assert.Equal("Pkcs11Error", e.ErrorId);
        Assert.Contains("'ARMID (AuthPIN)' WAS set", e.Message);
        Assert.Single(fake.SecretCalls, c => c.EndsWith("slot 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Per_Token_Puks_Reach_Each_Token_And_A_Wrong_First_Puk_Stops_Before_The_Second()
    {
        var (service, fake) = Make(0);
        fake.FailOn[1] = ("C_Login", (ulong)CKR.CKR_PIN_INCORRECT);
        var requests = new[]
        {
            new PinRequest(fake.Tokens[0], SecretTests.Secure(NewPin), null, SecretTests.Secure("11112222")),
            new PinRequest(fake.Tokens[1], SecretTests.Secure(NewPin), null, SecretTests.Secure("33334444")),
        };
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Activate, fake.Path, requests, null, force: false));
        Assert.Equal("PukIncorrect", e.ErrorId);
        Assert.Equal(new[] { "C_Login(SO)+C_InitPIN slot 1" }, fake.SecretCalls);
        Assert.Equal(new[] { $"slot 1: puk=11112222 new={NewPin}" }, fake.SecretValues);
        Assert.Contains("Nothing was sent to 'ARMID (SignPIN)'", e.Message);

        fake.FailOn.Clear();
        fake.SecretCalls.Clear();
        fake.SecretValues.Clear();
        service.Execute(PinOperation.Activate, fake.Path, requests, null, force: false);
        Assert.Equal(new[] { "C_Login(SO)+C_InitPIN slot 1", "C_Login(SO)+C_InitPIN slot 2" }, fake.SecretCalls);
        // Each token got ITS PUK: neither swapped nor the first one sent twice.
        Assert.Equal(new[] { $"slot 1: puk=11112222 new={NewPin}", $"slot 2: puk=33334444 new={NewPin}" }, fake.SecretValues);
    }

    [Fact]
    public void Per_Token_Current_Pins_And_New_Pins_Reach_Each_Token()
    {
        var (service, fake) = Make(Pkcs11Flags.UserPinInitialized);
        var requests = new[]
        {
            new PinRequest(fake.Tokens[0], SecretTests.Secure("55556666"), SecretTests.Secure("11112222")),
            new PinRequest(fake.Tokens[1], SecretTests.Secure("77778888"), SecretTests.Secure("33334444")),
        };
        service.Execute(PinOperation.Change, fake.Path, requests, null, force: false);
        Assert.Equal(new[] { "slot 1: current=11112222 new=55556666", "slot 2: current=33334444 new=77778888" }, fake.SecretValues);
    }

    [Fact]
    public void Pkcs11CallException_Is_An_EkengException_With_A_Stable_Id()
    {
        EkengException e = new Pkcs11CallException("C_GetSlotList", (ulong)CKR.CKR_DEVICE_ERROR);
        Assert.Equal("Pkcs11Error", e.ErrorId);
        Assert.Equal(EkengErrorKind.DeviceError, e.Kind);
    }

    [Fact]
    public void The_Service_Reads_Each_Token_Once_Instead_Of_Listing_Every_Slot()
    {
        var (service, fake) = Make(0);
        var requests = fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure(NewPin))).ToList();
        service.Execute(PinOperation.Activate, fake.Path, requests, SecretTests.Secure(Puk), force: false);
        Assert.Equal(new[] { "C_GetTokenInfo slot 1", "C_GetTokenInfo slot 2", "C_Login(SO)+C_InitPIN slot 1", "C_Login(SO)+C_InitPIN slot 2" }, fake.Calls);
    }

    [Fact]
    public void The_Same_Token_In_Another_Slot_Is_Not_The_Same_Token()
    {
        Pkcs11Token a = FakePkcs11Module.Token("ARMID (AuthPIN)", 0, 1);
        Pkcs11Token b = FakePkcs11Module.Token("ARMID (AuthPIN)", 0, 7);
        Assert.True(a.IsSameToken(FakePkcs11Module.Token("ARMID (AuthPIN)", 0, 1)));
        Assert.False(a.IsSameToken(b));
    }
}
