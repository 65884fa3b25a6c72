using System.Runtime.InteropServices;
using Ekeng.Cards;
using Ekeng.Diagnostics;
using Ekeng.PcSc;
using Ekeng.Pkcs11;
using Ekeng.Platform;
using Ekeng.Tests.PcSc;
using Ekeng.Tests.Pkcs11;

namespace Ekeng.Tests.Cards;

/// <summary>
/// Reading a card again after its PINs changed (what Initialize-/Set-/Unblock-EkengPin do last), over a fake PKCS#11
/// library given to the inventory: a card pulled out in between is CardNotFound, never an older copy of the card.
/// </summary>
public sealed class CardRefreshTests
{
    private const ulong Ready = Pkcs11Flags.UserPinInitialized;

    private static (CardInventory Inventory, FakePkcs11Module Library) Inventory()
    {
        var library = new FakePkcs11Module();
        library.Tokens.Add(FakePkcs11Module.Token("ARMID (AuthPIN)", 0, 1));
        library.Tokens.Add(FakePkcs11Module.Token("ARMID (SignPIN)", 0, 2));
        var readers = new ReaderService(null, () => PcScContext.Establish(new FakePcScNative(), null));
        var locator = new Pkcs11ModuleLocator(_ => true, _ => null, HostOs.Current, RuntimeInformation.ProcessArchitecture, _ => RuntimeInformation.ProcessArchitecture);
        return (new CardInventory(null, readers, locator, library), library);
    }

    [Fact]
    public void A_Card_Still_There_Is_Read_Again_With_Its_New_Pin_State()
    {
        (CardInventory inventory, FakePkcs11Module library) = Inventory();
        EkengCard card = Assert.Single(inventory.GetCards(null, library.Path));
        Assert.Equal(PinState.NotInitialized, card.AuthPin!.State);
        library.Tokens[0] = FakePkcs11Module.Token("ARMID (AuthPIN)", Ready, 1);

        EkengCard again = inventory.Refresh(card);

        Assert.Equal(PinState.Ready, again.AuthPin!.State);
    }

    [Fact]
    public void A_Card_Pulled_Out_Before_It_Is_Read_Again_Is_CardNotFound()
    {
        (CardInventory inventory, FakePkcs11Module library) = Inventory();
        EkengCard card = Assert.Single(inventory.GetCards(null, library.Path));
        library.Tokens.Clear();

        EkengException e = Assert.Throws<EkengException>(() => inventory.Refresh(card));

        Assert.Equal("CardNotFound", e.ErrorId);
        Assert.Equal(EkengErrorKind.ObjectNotFound, e.Kind);
        Assert.Contains("was not found when it was read again", e.Message, StringComparison.Ordinal);
        Assert.Contains("C_GetSlotList", library.Calls.Last(), StringComparison.Ordinal);
    }
}
