using Ekeng.Tests.Security;
using Ekeng.Pkcs11;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Tests.Pkcs11;

/// <summary>
/// Issue 7 item 15 and docs/ARCHITECTURE.md#pkcs11-one-library-per-process: one initialisation per library path for the life of the process, never a
/// C_Finalize by the module, CKR_CRYPTOKI_ALREADY_INITIALIZED from another component tolerated.
/// </summary>
[Collection(SoftHsmCollection.Name)]
public sealed class LibraryRegistryTests
{
    [SkippableFact]
    public void A_Library_Is_Initialised_Once_And_Outlives_Every_Module_Handle()
    {
        Requires.Linux();
        Requires.InstalledFile(SoftHsmCard.ModulePath, "softhsm2");
        using var rig = new SoftHsmCard();
        int before = Pkcs11LibraryRegistry.Initialisations;
        var loader = new InteropModuleLoader();
        for (int i = 0; i < 3; i++)
        {
            using IPkcs11Module module = loader.Open(SoftHsmCard.ModulePath);
            Assert.Equal(2, module.GetTokens().Count);
        }

        // Another spelling of the same path is the same library.
        using (IPkcs11Module module = loader.Open("/usr/lib/softhsm/../softhsm/libsofthsm2.so"))
        {
            Assert.Equal(2, module.GetTokens().Count);
        }

        Assert.Equal(before + 1, Pkcs11LibraryRegistry.Initialisations);

        // Still initialised after every handle was disposed: another component of the process (libp11) relies on it.
        var other = new Pkcs11InteropFactories();
        using IPkcs11Library probe = other.Pkcs11LibraryFactory.LoadPkcs11Library(other, SoftHsmCard.ModulePath, AppType.MultiThreaded);
        Assert.NotNull(probe.GetInfo()); // C_Initialize answered CKR_CRYPTOKI_ALREADY_INITIALIZED and Pkcs11Interop accepted it
    }

    [SkippableFact]
    public void A_Library_Another_Component_Initialised_First_Is_Used_As_It_Is()
    {
        Requires.Linux();
        Requires.InstalledFile(SoftHsmCard.ModulePath, "softhsm2");
        using var rig = new SoftHsmCard();
        var other = new Pkcs11InteropFactories();
        IPkcs11Library first = other.Pkcs11LibraryFactory.LoadPkcs11Library(other, SoftHsmCard.ModulePath, AppType.MultiThreaded);
        try
        {
            using IPkcs11Module module = new InteropModuleLoader().Open(SoftHsmCard.ModulePath);
            IReadOnlyList<Pkcs11Token> tokens = module.GetTokens();
            Assert.Equal(2, tokens.Count);
            Pkcs11Token? again = module.ReadToken(tokens[0]);
            Assert.NotNull(again);
            Assert.True(again!.IsSameToken(tokens[0]));

            // The other component keeps working after our handle is gone: we never finalised it.
            module.Dispose();
            Assert.NotEmpty(first.GetSlotList(SlotsType.WithTokenPresent));
        }
        finally
        {
            Pkcs11LibraryRegistry.FinalizeAllForTests();
            GC.KeepAlive(first);
        }
    }

    [SkippableFact]
    public void Activation_Then_Reread_Use_One_Initialisation()
    {
        Requires.Linux();
        Requires.InstalledFile(SoftHsmCard.ModulePath, "softhsm2");
        using var rig = new SoftHsmCard();
        int before = Pkcs11LibraryRegistry.Initialisations;
        IReadOnlyList<Pkcs11Token> tokens;
        using (IPkcs11Module module = new InteropModuleLoader().Open(SoftHsmCard.ModulePath))
        {
            tokens = module.GetTokens();
        }

        new PinService().Execute(PinOperation.Activate, SoftHsmCard.ModulePath, tokens.Select(t => new PinRequest(t, SecretTests.Secure("24681357"))).ToList(), SecretTests.Secure(SoftHsmCard.PukText), force: false);
        using (IPkcs11Module module = new InteropModuleLoader().Open(SoftHsmCard.ModulePath))
        {
            Assert.All(tokens, t => Assert.True(module.ReadToken(t)!.Pin.Initialized));
        }

        Assert.Equal(before + 1, Pkcs11LibraryRegistry.Initialisations);
    }
}
