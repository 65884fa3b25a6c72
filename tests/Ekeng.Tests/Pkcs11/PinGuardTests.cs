using Ekeng.Tests.Security;
using Ekeng.Pkcs11;

namespace Ekeng.Tests.Pkcs11;

/// <summary>
/// The FINAL_TRY / LOCKED guards, and only those, at the PKCS#11 boundary with a fake (SoftHSM never reports
/// these states). Everything else of the PIN service runs against SoftHSM (SoftHsmPinTests).
/// </summary>
public sealed class PinGuardTests
{
    private static (PinService service, FakePkcs11Module fake) Make(params Pkcs11Token[] tokens)
    {
        var fake = new FakePkcs11Module();
        fake.Tokens.AddRange(tokens);
        return (new PinService(null, fake), fake);
    }

    private static PinRequest[] Requests(FakePkcs11Module fake, string pin = "1357", string? current = null) =>
        fake.Tokens.Select(t => new PinRequest(t, SecretTests.Secure(pin), current is null ? null : SecretTests.Secure(current))).ToArray();

    [Theory]
    [InlineData(Pkcs11Flags.SoPinFinalTry, "PukFinalTry", PinOperation.Activate)]
    [InlineData(Pkcs11Flags.SoPinLocked, "PukLocked", PinOperation.Activate)]
    [InlineData(Pkcs11Flags.SoPinFinalTry, "PukFinalTry", PinOperation.Unblock)]
    [InlineData(Pkcs11Flags.SoPinLocked | Pkcs11Flags.SoPinFinalTry, "PukLocked", PinOperation.Unblock)]
    public void The_Puk_Is_Never_Sent_At_Final_Try_Or_Locked_Without_Force(ulong soFlags, string expectedId, PinOperation operation)
    {
        ulong userFlags = operation == PinOperation.Unblock ? Pkcs11Flags.UserPinInitialized | Pkcs11Flags.UserPinLocked : 0;
        var (service, fake) = Make(FakePkcs11Module.Token("ARMID (AuthPIN)", userFlags, 1), FakePkcs11Module.Token("ARMID (SignPIN)", userFlags | soFlags, 2));
        var e = Assert.Throws<PinOperationException>(() => service.Execute(operation, fake.Path, Requests(fake), SecretTests.Secure("86420975"), force: false));
        Assert.Equal(expectedId, e.ErrorId);
        Assert.Contains("The PUK was not sent", e.Message);
        Assert.Equal("ARMID (SignPIN)", e.TargetObject);
        Assert.Empty(fake.SecretCalls); // not even to the first token, whose PUK state is fine
    }

    /// <summary>Unblock on a LOCKED PIN (a state SoftHSM never reports): the PUK and the new PIN reach the locked token, only it.</summary>
    [Fact]
    public void Unblock_Of_A_Locked_Pin_Sends_The_Puk_And_The_New_Pin_To_That_Token()
    {
        var (service, fake) = Make(FakePkcs11Module.Token("ARMID (AuthPIN)", Pkcs11Flags.UserPinInitialized | Pkcs11Flags.UserPinLocked, 1));
        IReadOnlyList<Pkcs11Token> done = service.Execute(PinOperation.Unblock, fake.Path, Requests(fake, "24681357"), SecretTests.Secure("86420975"), force: false);
        Assert.Single(done);
        Assert.Equal(new[] { "slot 1: puk=86420975 new=24681357" }, fake.SecretValues);
    }

    [Fact]
    public void Force_Sends_The_Puk_After_One_Confirmation()
    {
        var (service, fake) = Make(FakePkcs11Module.Token("ARMID (AuthPIN)", Pkcs11Flags.SoPinFinalTry, 1));
        var questions = new List<string>();
        service.Execute(PinOperation.Activate, fake.Path, Requests(fake), SecretTests.Secure("86420975"), force: true, (t, q) => { questions.Add(q); return true; });
        Assert.Single(questions);
        Assert.Contains("FINAL try", questions[0]);
        Assert.Equal(new[] { "C_Login(SO)+C_InitPIN slot 1" }, fake.SecretCalls);
    }

    [Fact]
    public void Force_Declined_At_The_Confirmation_Sends_Nothing()
    {
        var (service, fake) = Make(FakePkcs11Module.Token("ARMID (AuthPIN)", 0, 1), FakePkcs11Module.Token("ARMID (SignPIN)", Pkcs11Flags.SoPinLocked, 2));
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Activate, fake.Path, Requests(fake), SecretTests.Secure("86420975"), force: true, (_, _) => false));
        Assert.Equal("ForcedSecretDeclined", e.ErrorId);
        Assert.Empty(fake.SecretCalls);
    }

    [Theory]
    [InlineData(Pkcs11Flags.UserPinFinalTry, "PinFinalTry")]
    [InlineData(Pkcs11Flags.UserPinLocked, "PinLocked")]
    public void The_Current_Pin_Is_Never_Sent_At_Final_Try_Or_Locked_Without_Force(ulong userFlags, string expectedId)
    {
        var (service, fake) = Make(FakePkcs11Module.Token("ARMID (AuthPIN)", Pkcs11Flags.UserPinInitialized | userFlags, 1));
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Change, fake.Path, Requests(fake, "1357", "2468"), null, force: false));
        Assert.Equal(expectedId, e.ErrorId);
        Assert.Empty(fake.SecretCalls);
    }

    [Fact]
    public void The_Guard_Reads_The_Token_Again_Instead_Of_Trusting_A_Stale_Card_Object()
    {
        // The card object was read while the PUK was fine; since then a wrong PUK elsewhere left it at its final try.
        Pkcs11Token stale = FakePkcs11Module.Token("ARMID (AuthPIN)", 0, 1);
        var (service, fake) = Make(FakePkcs11Module.Token("ARMID (AuthPIN)", Pkcs11Flags.SoPinFinalTry, 1));
        var e = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Activate, fake.Path, new[] { new PinRequest(stale, SecretTests.Secure("1357")) }, SecretTests.Secure("86420975"), force: false));
        Assert.Equal("PukFinalTry", e.ErrorId);
        Assert.Empty(fake.SecretCalls);
    }
}
