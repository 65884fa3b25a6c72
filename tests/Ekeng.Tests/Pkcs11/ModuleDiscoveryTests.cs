using System.Runtime.InteropServices;
using Ekeng.Cards;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.Platform;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ekeng.Tests.Pkcs11;

public sealed class ModuleDiscoveryTests
{
    private static Pkcs11ModuleLocator Locator(OsPlatform os, ISet<string> existing, IDictionary<string, string>? env = null) =>
        new(existing.Contains, n => env != null && env.TryGetValue(n, out string? v) ? v : null, os, Architecture.X64);

    [Fact]
    public void CryptoCard_Suite_Comes_Before_OpenSC_On_Each_Os()
    {
        Assert.Equal("/usr/lib/ccs/libccpkip11.so", Locator(OsPlatform.Linux, new HashSet<string>()).Candidates()[0]);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", Locator(OsPlatform.Linux, new HashSet<string>()).Candidates()[1]);
        Assert.Equal("/Library/Security/tokend/CCSuite.tokend/Contents/Frameworks/libccpkip11.dylib", Locator(OsPlatform.MacOS, new HashSet<string>()).Candidates()[0]);
        var windows = Locator(OsPlatform.Windows, new HashSet<string>(), new Dictionary<string, string> { ["ProgramFiles"] = @"C:\Program Files", ["ProgramFiles(x86)"] = @"C:\Program Files (x86)" }).Candidates();
        Assert.EndsWith(Path.Combine("CryptoTech", "CryptoCard", "CCPkiP11.dll"), windows[0]);
        Assert.StartsWith(@"C:\Program Files", windows[0]);
        Assert.StartsWith(@"C:\Program Files (x86)", windows[1]);
        Assert.Contains("OpenSC", windows[2]);

        var both = Locator(OsPlatform.Linux, new HashSet<string> { "/usr/lib/ccs/libccpkip11.so", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so" });
        Assert.Equal("/usr/lib/ccs/libccpkip11.so", both.Resolve(null));
    }

    [Fact]
    public void The_Missing_Middleware_Message_Names_CryptoCard_Suite_Its_Places_And_Where_To_Get_It()
    {
        var windows = Locator(OsPlatform.Windows, new HashSet<string>(), new Dictionary<string, string> { ["ProgramFiles"] = @"C:\Program Files", ["ProgramFiles(x86)"] = @"C:\Program Files (x86)" });
        Assert.Equal(2, windows.MiddlewareCandidates().Count);
        Assert.All(windows.MiddlewareCandidates(), p => Assert.EndsWith("CCPkiP11.dll", p));
        var linux = Locator(OsPlatform.Linux, new HashSet<string>());
        string message = linux.MiddlewareMissing("The ARMID card in 'R 00'", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so");
        Assert.Contains("CryptoCard Suite", message);
        Assert.Contains("/usr/lib/ccs/libccpkip11.so", message);
        Assert.Contains("ekeng.am", message);
        Assert.Contains("OpenSC has no driver for ARMID cards", message);
        Assert.DoesNotContain("OpenSC", linux.MiddlewareMissing("The ARMID card in 'R 00'", null));
        Assert.True(Pkcs11ModuleLocator.IsOpenSc("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"));
        Assert.False(Pkcs11ModuleLocator.IsOpenSc("/usr/lib/ccs/libccpkip11.so"));
        Assert.True(Locator(OsPlatform.Linux, new HashSet<string>(), new Dictionary<string, string> { [Pkcs11ModuleLocator.EnvironmentVariable] = "/x.so" }).IsNamed(null));
        Assert.False(linux.IsNamed(null));
        Assert.True(linux.IsNamed("/x.so"));
    }

    [Fact]
    public void The_Parameter_Beats_The_Environment_Which_Beats_The_Search()
    {
        var env = new Dictionary<string, string> { [Pkcs11ModuleLocator.EnvironmentVariable] = "/env/lib.so" };
        var l = Locator(OsPlatform.Linux, new HashSet<string> { "/env/lib.so", "/param/lib.so", "/usr/lib/ccs/libccpkip11.so" }, env);
        Assert.Equal("/param/lib.so", l.Resolve("/param/lib.so"));
        Assert.Equal("/env/lib.so", l.Resolve(null));
    }

    [Fact]
    public void None_Found_Names_Every_Path_Searched_And_TryResolve_Is_Quiet()
    {
        var l = Locator(OsPlatform.Linux, new HashSet<string>());
        var e = Assert.Throws<EkengException>(() => l.Resolve(null));
        Assert.Equal("Pkcs11ModuleNotFound", e.ErrorId);
        foreach (string path in l.Candidates())
        {
            Assert.Contains(path, e.Message);
        }

        Assert.Null(l.TryResolve(null, out IReadOnlyList<string> searched));
        Assert.Equal(l.Candidates(), searched);
        // A path the user named that does not exist is an error even in TryResolve.
        Assert.Equal("Pkcs11ModuleNotFound", Assert.Throws<EkengException>(() => l.TryResolve("/no/such.so", out _)).ErrorId);
    }

    [Theory]
    [InlineData((ushort)0x014C, Architecture.X86)]
    [InlineData((ushort)0x8664, Architecture.X64)]
    [InlineData((ushort)0xAA64, Architecture.Arm64)]
    public void Reads_The_Pe_Machine_Type(ushort machine, Architecture expected)
    {
        byte[] pe = new byte[0x100];
        pe[0] = (byte)'M'; pe[1] = (byte)'Z';
        BitConverter.GetBytes(0x80).CopyTo(pe, 0x3C);
        pe[0x80] = (byte)'P'; pe[0x81] = (byte)'E';
        BitConverter.GetBytes(machine).CopyTo(pe, 0x84);
        Assert.Equal(expected, ModuleArchitecture.Read(new MemoryStream(pe)));
    }

    [Fact]
    public void A_32_Bit_Dll_In_A_64_Bit_Process_Is_Refused_Before_Loading()
    {
        var e = Assert.Throws<EkengException>(() => ModuleArchitecture.EnsureLoadable(@"C:\Program Files (x86)\CryptoTech\CryptoCard\CCPkiP11.dll", Architecture.X86, Architecture.X64));
        Assert.Equal("Pkcs11ModuleArchitectureMismatch", e.ErrorId);
        Assert.Contains("32-bit", e.Message);
        ModuleArchitecture.EnsureLoadable("/same.so", Architecture.X64, Architecture.X64);
        ModuleArchitecture.EnsureLoadable("/unknown.so", null, Architecture.X64);
    }

    [SkippableFact]
    public void Reads_The_Elf_Machine_Of_A_Real_Library()
    {
        Requires.InstalledFile(SoftHsmCard.ModulePath, "softhsm2");

        Assert.Equal(RuntimeInformation.ProcessArchitecture, ModuleArchitecture.Read(SoftHsmCard.ModulePath));
    }

    private static Pkcs11Token T(string label, string serial, string slot = "SoftHSM slot", string maker = "SoftHSM project") =>
        new("/m.so", (ulong)serial.GetHashCode() & 0xFFFF, slot, label, serial, "SoftHSM v2", maker, Pkcs11Flags.TokenInitialized, 4, 255);

    [Fact]
    public void Tokens_Whose_Slot_Names_A_Reader_Join_That_Reader_One_Object_Per_Reader()
    {
        var readers = new[] { new EkengCard("Virtual PCD 00 00", CardState.Present, new byte[] { 0x3B }), new EkengCard("Virtual PCD 00 01", CardState.Absent, Array.Empty<byte>()) };
        var tokens = new[] { T("ARMID (AuthPIN)", "A1", "Virtual PCD 00 00"), T("ARMID (SignPIN)", "A1", "Virtual PCD 00 00") };
        var cards = CardInventory.Join(readers, tokens, "/m.so", false, NullLogger.Instance);
        Assert.Equal(2, cards.Count);
        Assert.Equal(2, cards[0].Tokens.Count);
        Assert.Equal("Virtual PCD 00 00", cards[0].Reader);
        Assert.NotNull(cards[0].AuthPin);
        Assert.Empty(cards[1].Tokens);
        Assert.Equal("/m.so", cards[1].Pkcs11Module);
    }

    [Fact]
    public void Reader_Less_Tokens_Join_By_Serial_Then_By_A_Lone_Auth_Sign_Pair()
    {
        var tokens = new[]
        {
            T("ARMID (AuthPIN)", "CARD1"), T("ARMID (SignPIN)", "CARD1"),   // one card, one serial
            T("ARMID (AuthPIN)", "X1"), T("ARMID (SignPIN)", "X2"),         // another card, a serial per token
            T("My token", "Z9"),                                          // not an ID card
        };
        var cards = CardInventory.Join(Array.Empty<EkengCard>(), tokens, "/m.so", false, NullLogger.Instance);
        Assert.Equal(2, cards.Count);
        Assert.All(cards, c => { Assert.NotNull(c.AuthPin); Assert.NotNull(c.SignPin); Assert.Null(c.Reader); });
        Assert.Equal(new[] { "CARD1", "X1" }, cards.Select(c => c.SerialNumber));
    }

    [Fact]
    public void Two_Lone_Auth_Tokens_Are_Not_Guessed_Into_Pairs()
    {
        var tokens = new[] { T("ARMID (AuthPIN)", "X1"), T("ARMID (SignPIN)", "X2"), T("ARMID (AuthPIN)", "Y1") };
        Assert.Equal(3, CardInventory.Join(Array.Empty<EkengCard>(), tokens, "/m.so", false, NullLogger.Instance).Count);
    }

    [Theory]
    [InlineData("Virtual PCD 00 00", "Virtual PCD 00 00", true)]
    [InlineData("Virtual PCD 00 00 (AuthPIN)", "Virtual PCD 00 00", true)]
    [InlineData("Virtual PCD 00 01", "Virtual PCD 00 00", false)]
    [InlineData("SoftHSM slot ID 0x1", "Virtual PCD 00 00", false)]
    [InlineData("X 10", "X 1", false)]
    [InlineData("X 10 (AuthPIN)", "X 1", false)]
    [InlineData("X 1 (AuthPIN)", "X 1", true)]
    [InlineData("A [B] (1) 00 00", "A [B] (1) 00 00", true)]
    public void Slot_Description_Names_A_Reader(string slot, string reader, bool expected)
    {
        Assert.Equal(expected, CardInventory.SlotNamesReader(slot, reader));
    }
}
