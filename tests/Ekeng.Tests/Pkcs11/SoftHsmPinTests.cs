using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Tests.Security;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;

namespace Ekeng.Tests.Pkcs11;

/// <summary>The PKCS#11 layer and the PIN service against real SoftHSM2 tokens.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class SoftHsmPinTests
{
    private static IReadOnlyList<Pkcs11Token> ReadTokens()
    {
        using IPkcs11Module module = new InteropModuleLoader().Open(SoftHsmCard.ModulePath);
        return module.GetTokens();
    }

    private static void RequireSoftHsm()
    {
        Requires.Linux();
        Requires.InstalledFile(SoftHsmCard.ModulePath, "softhsm2");
    }

    [SkippableFact]
    public void Lists_Both_Tokens_With_The_User_Pin_Not_Initialised_And_Joins_Them_Into_One_Card()
    {
        RequireSoftHsm();

        using var rig = new SoftHsmCard();
        IReadOnlyList<Pkcs11Token> tokens = ReadTokens();
        Assert.Equal(new[] { "ARMID (AuthPIN)", "ARMID (SignPIN)" }, tokens.Select(t => t.Label).OrderBy(l => l));
        Assert.All(tokens, t =>
        {
            Assert.False(t.Pin.Initialized);
            Assert.Equal(PinState.NotInitialized, t.Pin.State);
            Assert.Equal(4, t.Pin.MinLength);
            Assert.Equal(255, t.Pin.MaxLength);
            Assert.True(t.IsArmid);
        });

        IReadOnlyList<EkengCard> cards = CardInventory.Join(Array.Empty<EkengCard>(), tokens, SoftHsmCard.ModulePath, readersOnly: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        EkengCard card = Assert.Single(cards);
        Assert.Equal("ec0a1d00c0000001", card.SerialNumber);
        Assert.NotNull(card.AuthPin);
        Assert.NotNull(card.SignPin);
    }

    [SkippableFact]
    public void Activates_Both_Pins_Then_Refuses_A_Second_Activation()
    {
        RequireSoftHsm();

        using var rig = new SoftHsmCard();
        var service = new PinService();
        IReadOnlyList<Pkcs11Token> tokens = ReadTokens();

        // (A wrong first-token PUK is tested once, through the cmdlet: Pin.Tests.ps1, "a wrong PUK: PukIncorrect ...".)
        IReadOnlyList<Pkcs11Token> after = tokens;

        IReadOnlyList<Pkcs11Token> done = service.Execute(PinOperation.Activate, SoftHsmCard.ModulePath, after.Select(t => new PinRequest(t, SecretTests.Secure("0123"))).ToList(), SecretTests.Secure(SoftHsmCard.PukText), force: false);
        Assert.Equal(2, done.Count);
        Assert.All(ReadTokens(), t => Assert.Equal(PinState.Ready, t.Pin.State));

        var again = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Activate, SoftHsmCard.ModulePath, after.Select(t => new PinRequest(t, SecretTests.Secure("4567"))).ToList(), SecretTests.Secure("11112222"), force: false));
        Assert.Equal("PinAlreadyInitialized", again.ErrorId);
        Assert.All(ReadTokens(), t => Assert.False(t.Pin.PukCountLow)); // no PUK was sent

        // Change with the new PIN; the token's length bound is checked before sending.
        Pkcs11Token auth = ReadTokens().Single(t => t.Kind == PinKind.Auth);
        var tooShort = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Change, SoftHsmCard.ModulePath, new[] { new PinRequest(auth, SecretTests.Secure("12"), SecretTests.Secure("0123")) }, null, false));
        Assert.Equal("PinLengthOutOfRange", tooShort.ErrorId);
        service.Execute(PinOperation.Change, SoftHsmCard.ModulePath, new[] { new PinRequest(auth, SecretTests.Secure("97531"), SecretTests.Secure("0123")) }, null, false);
        var incorrect = Assert.Throws<PinOperationException>(() => service.Execute(PinOperation.Change, SoftHsmCard.ModulePath, new[] { new PinRequest(auth, SecretTests.Secure("86420"), SecretTests.Secure("0123")) }, null, false));
        Assert.Equal("PinIncorrect", incorrect.ErrorId);
        Assert.True(incorrect.Status!.CountLow);
    }

    [SkippableFact]
    public void Reads_The_Certificates_Without_A_Pin_As_Typed_Objects()
    {
        RequireSoftHsm();

        using var rig = new SoftHsmCard();
        IReadOnlyList<Pkcs11Token> tokens = ReadTokens();
        EkengCard card = Assert.Single(CardInventory.Join(Array.Empty<EkengCard>(), tokens, SoftHsmCard.ModulePath, false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        IReadOnlyList<EkengCertificate> certificates = new CertificateService().GetCertificates(card);
        Assert.Equal(new[] { CertificateKind.Authentication, CertificateKind.Signing }, certificates.Select(c => c.Kind));
        Assert.All(certificates, c =>
        {
            Assert.Equal("ARMEN SARGSYAN", c.HolderName);
            Assert.Equal("0123456789", c.PublicServiceNumber); // leading zero kept
            Assert.True(c.KindMatchesKeyUsage);
            Assert.InRange(c.DaysLeft, 1090, 1100);
            Assert.False(c.Certificate.HasPrivateKey);
        });
        Assert.Equal(rig.Card.AuthCertificate.Thumbprint, certificates[0].Thumbprint);
        Assert.Equal(rig.Card.SignCertificate.Thumbprint, certificates[1].Thumbprint);
    }
}
