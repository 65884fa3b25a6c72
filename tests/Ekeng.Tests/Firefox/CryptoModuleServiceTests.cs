using System.Diagnostics;
using System.Runtime.InteropServices;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

public sealed class CryptoModuleServiceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeProbe _probe = new();
    private readonly CryptoModuleService _service;
    private readonly MozillaProfile _profile;
    private readonly string _library;
    private readonly string _file;

    public CryptoModuleServiceTests()
    {
        _service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, _dir.Path), null, _probe);
        string profileDir = _dir.Combine("x y", "Պրոֆիլ");
        Directory.CreateDirectory(profileDir);
        _profile = new MozillaProfile(MozillaApplication.Firefox, "Պրոֆիլ", profileDir, null, MozillaPackaging.Native, true);
        _library = _dir.Combine("lib dir", "libccpkip11.so");
        Directory.CreateDirectory(Path.GetDirectoryName(_library)!);
        File.WriteAllBytes(_library, new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 62, 0 });
        _file = Path.Combine(profileDir, "pkcs11.txt");
    }

    public void Dispose() => _dir.Dispose();

    private static bool Yes(string target, string action) => true;

    private CryptoModuleSpec Spec(string name = CryptoModuleSpec.DefaultName, string? library = null) => new(name, library ?? _library);

    [Fact]
    public void Set_Adds_Then_A_Second_Run_Changes_Nothing()
    {
        File.WriteAllText(_file, Samples.FirefoxPkcs11Txt(_profile.Path));
        ModuleResult first = _service.ForProfile(_profile).Set(Spec(), Yes);
        Assert.Null(first.Error);
        Assert.Equal(CryptoModuleStatus.Added, first.Module!.Status);
        Assert.Equal(_profile.Path, first.Module.ProfilePath);
        byte[] after = File.ReadAllBytes(_file);
        Assert.Equal(Samples.FirefoxPkcs11Txt(_profile.Path) + $"library={_library}\nname=ARMID (CryptoCard)\n\n", System.Text.Encoding.UTF8.GetString(after));
        Assert.Equal(Samples.FirefoxPkcs11Txt(_profile.Path), File.ReadAllText(_file + ".bak"));
        DateTime written = File.GetLastWriteTimeUtc(_file);

        ModuleResult second = _service.ForProfile(_profile).Set(Spec(), (_, _) => throw new InvalidOperationException("nothing to write: must not ask"));
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, second.Module!.Status);
        Assert.Equal(after, File.ReadAllBytes(_file));
        Assert.Equal(written, File.GetLastWriteTimeUtc(_file));
        Assert.Equal(CryptoModuleStatus.Present, _service.ForProfile(_profile).Test(Spec()).Module!.Status);
    }

    [Fact]
    public void Set_On_A_Profile_Without_Pkcs11Txt_Creates_It()
    {
        ModuleResult result = _service.ForProfile(_profile).Set(Spec(), Yes);
        Assert.Equal(CryptoModuleStatus.Added, result.Module!.Status);
        Assert.Equal($"library={_library}\nname=ARMID (CryptoCard)\n\n", File.ReadAllText(_file).Replace("\r\n", "\n"));
        Assert.False(File.Exists(_file + ".bak"));
    }

    [Fact]
    public void The_Same_Library_Under_Another_Name_Or_Path_Is_Not_Added_Twice()
    {
        string content = Samples.FirefoxPkcs11Txt(_profile.Path) + $"library={_library}\nname=Vendor name\n\n";
        File.WriteAllText(_file, content);
        ModuleResult byName = _service.ForProfile(_profile).Set(Spec(), Yes);
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, byName.Module!.Status);
        Assert.Equal("Vendor name", byName.Module.Name);
        Assert.Contains("Vendor name", byName.Module.Message);

        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            string link = _dir.Combine("link to lib.so");
            File.CreateSymbolicLink(link, _library);
            string dotted = Path.Combine(Path.GetDirectoryName(_library)!, "..", "lib dir", "libccpkip11.so");
            Assert.Equal(CryptoModuleStatus.AlreadyPresent, _service.ForProfile(_profile).Set(Spec("Other", link), Yes).Module!.Status);
            Assert.Equal(CryptoModuleStatus.AlreadyPresent, _service.ForProfile(_profile).Set(Spec("Other", dotted), Yes).Module!.Status);
        }

        Assert.Equal(content, File.ReadAllText(_file));
    }

    [Fact]
    public void An_Entry_Of_That_Name_With_Another_Library_Is_Updated()
    {
        File.WriteAllText(_file, "library=/old/path.so\nname=ARMID (CryptoCard)\nNSS=trustOrder=100\n\nlibrary=/usr/lib/x.so\nname=X\n\n");
        Assert.Equal(CryptoModuleStatus.NotPresent, _service.ForProfile(_profile).Test(Spec()).Module!.Status);
        ModuleResult result = _service.ForProfile(_profile).Set(Spec(), Yes);
        Assert.Equal(CryptoModuleStatus.Updated, result.Module!.Status);
        Assert.Equal($"library={_library}\nname=ARMID (CryptoCard)\nNSS=trustOrder=100\n\nlibrary=/usr/lib/x.so\nname=X\n\n", File.ReadAllText(_file));
    }

    [Fact]
    public void Remove_Takes_The_Module_By_Name_Or_Library_And_Keeps_The_Rest()
    {
        string internalBlock = Samples.FirefoxPkcs11Txt(_profile.Path);
        File.WriteAllText(_file, internalBlock + "library=/usr/lib/x.so\nname=X\n\n" + $"library={_library}\nname=Vendor\n\n");
        ModuleResult none = _service.ForProfile(_profile).Remove(CryptoModuleSpec.DefaultName, null, Yes);
        Assert.Equal(CryptoModuleStatus.NotPresent, none.Module!.Status);
        ModuleResult removed = _service.ForProfile(_profile).Remove(CryptoModuleSpec.DefaultName, _library, Yes);
        Assert.Equal(CryptoModuleStatus.Removed, removed.Module!.Status);
        Assert.Equal("Vendor", removed.Module.Name);
        Assert.Equal(internalBlock + "library=/usr/lib/x.so\nname=X\n\n", File.ReadAllText(_file));
    }

    [Fact]
    public void WhatIf_Writes_Nothing()
    {
        string content = Samples.FirefoxPkcs11Txt(_profile.Path);
        File.WriteAllText(_file, content);
        string? asked = null;
        ModuleResult result = _service.ForProfile(_profile).Set(Spec(), (target, action) => { asked = target + " | " + action; return false; });
        Assert.Null(result.Module);
        Assert.Contains(_file, asked);
        Assert.Contains("ARMID (CryptoCard)", asked);
        Assert.Equal(content, File.ReadAllText(_file));
        Assert.False(File.Exists(_file + ".bak"));
        Assert.Single(Directory.GetFiles(_profile.Path));
    }

    [Fact]
    public void A_Corrupt_File_Is_Skipped_And_Untouched()
    {
        byte[] corrupt = Samples.Utf8("library=/a.so\nthis is not nss\n\n");
        File.WriteAllBytes(_file, corrupt);
        ModuleResult result = _service.ForProfile(_profile).Set(Spec(), Yes);
        Assert.Equal("Pkcs11TxtCorrupt", result.Error!.ErrorId);
        Assert.Equal(CryptoModuleStatus.Skipped, result.Module!.Status);
        Assert.Equal(corrupt, File.ReadAllBytes(_file));
    }

    [Fact]
    public void A_Live_Lock_Skips_The_Profile_A_Stale_One_Does_Not()
    {
        string content = Samples.FirefoxPkcs11Txt(_profile.Path);
        File.WriteAllText(_file, content);
        _probe.Links[Path.Combine(_profile.Path, "lock")] = "127.0.0.1:+4242";
        _probe.Alive.Add(4242);
        ModuleResult live = _service.ForProfile(_profile).Set(Spec(), Yes);
        Assert.Equal("FirefoxRunning", live.Error!.ErrorId);
        Assert.Contains("-Scope Policy", live.Error.RecommendedAction);
        Assert.Equal(CryptoModuleStatus.Skipped, live.Module!.Status);
        Assert.Equal(content, File.ReadAllText(_file));

        _probe.Alive.Clear();
        ModuleResult stale = _service.ForProfile(_profile).Set(Spec(), Yes);
        Assert.Null(stale.Error);
        Assert.Equal(CryptoModuleStatus.Added, stale.Module!.Status);
    }

    [Fact]
    public void Nothing_To_Write_Is_Fine_While_Firefox_Runs()
    {
        File.WriteAllText(_file, $"library={_library}\nname=ARMID (CryptoCard)\n\n");
        _probe.FcntlLocks[Path.Combine(_profile.Path, ".parentlock")] = 777;
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, _service.ForProfile(_profile).Set(Spec(), Yes).Module!.Status);
        Assert.Equal("FirefoxRunning", _service.ForProfile(_profile).Remove(CryptoModuleSpec.DefaultName, null, Yes).Error!.ErrorId);
    }

    [Fact]
    public void Missing_Library_Is_Refused_Unless_Forced()
    {
        var missing = Assert.Throws<Ekeng.Diagnostics.EkengException>(() => _service.CheckLibrary(_dir.Combine("none.so"), new[] { MozillaApplication.Firefox }, false));
        Assert.Equal("ModuleLibraryNotFound", missing.ErrorId);
        _service.CheckLibrary(_dir.Combine("none.so"), new[] { MozillaApplication.Firefox }, true);
    }

    [SkippableFact]
    public void Wrong_Cpu_Library_Is_Refused_Unless_Forced()
    {
        // The installed Firefox is what the library is compared with; the library is an ELF header of the other CPU.
        const string libxul = "/usr/lib/firefox-esr/libxul.so";
        Requires.InstalledFile(libxul, "firefox-esr");
        BinaryMachine firefox = BinaryMachine.Read(libxul)!;
        byte[] elf = new byte[64];
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1 }.CopyTo(elf, 0);
        ushort other = firefox.ToString().Contains("x64", StringComparison.Ordinal) ? (ushort)183 : (ushort)62; // EM_AARCH64 : EM_X86_64
        BitConverter.GetBytes(other).CopyTo(elf, 18);
        string library = _dir.Combine("libother-cpu.so");
        File.WriteAllBytes(library, elf);
        Assert.NotEqual(firefox, BinaryMachine.Read(library));

        var wrong = Assert.Throws<Ekeng.Diagnostics.EkengException>(() => _service.CheckLibrary(library, new[] { MozillaApplication.Firefox }, false));
        Assert.Equal("ModuleArchitectureMismatch", wrong.ErrorId);
        Assert.Contains("/usr/lib/firefox-esr", wrong.Message);
        _service.CheckLibrary(library, new[] { MozillaApplication.Firefox }, true);

        // and the library of Firefox's own CPU passes unforced
        string same = _dir.Combine("libsame-cpu.so");
        BitConverter.GetBytes(other == 183 ? (ushort)62 : (ushort)183).CopyTo(elf, 18);
        File.WriteAllBytes(same, elf);
        _service.CheckLibrary(same, new[] { MozillaApplication.Firefox }, false);
    }

    [Fact]
    public void Sandboxed_Profiles_Get_A_Warning()
    {
        var snap = new MozillaProfile(MozillaApplication.Firefox, "s", "/home/u/snap/firefox/common/.mozilla/firefox/s", null, MozillaPackaging.Snap, false);
        Assert.Contains("snap", CryptoModuleService.SandboxWarning(snap, "/usr/lib/ccs/libccpkip11.so"));
        Assert.Null(CryptoModuleService.SandboxWarning(_profile, "/x.so"));
    }

    private const string BomFile = "\uFEFFlibrary=/first.so\nname=First\n\nlibrary=/second.so\nname=Second\n\n";

    private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

    [Fact]
    public void Bom_Pkcs11Txt_Get_Sees_The_First_Module_With_Its_Library()
    {
        File.WriteAllText(_file, BomFile, new System.Text.UTF8Encoding(false));
        ModuleResult[] modules = _service.ForProfile(_profile).Get();
        Assert.All(modules, m => Assert.Null(m.Error));
        Assert.Equal(new[] { ("First", "/first.so"), ("Second", "/second.so") }, modules.Select(m => (m.Module!.Name!, m.Module.Library!)));
    }

    [Fact]
    public void Bom_Pkcs11Txt_Set_Finds_The_First_Module_And_Keeps_The_Bom()
    {
        File.WriteAllText(_file, BomFile, new System.Text.UTF8Encoding(false));
        byte[] before = File.ReadAllBytes(_file);
        Assert.Equal(Bom, before.Take(3));
        ModuleResult same = _service.ForProfile(_profile).Set(Spec("First", "/first.so"), Yes);
        Assert.Equal(CryptoModuleStatus.AlreadyPresent, same.Module!.Status);
        Assert.Equal(before, File.ReadAllBytes(_file));

        ModuleResult updated = _service.ForProfile(_profile).Set(Spec("First", "/moved.so"), Yes);
        Assert.Equal(CryptoModuleStatus.Updated, updated.Module!.Status);
        Assert.Equal(Bom.Concat(Samples.Utf8("library=/moved.so\nname=First\n\nlibrary=/second.so\nname=Second\n\n")), File.ReadAllBytes(_file));
    }

    [Fact]
    public void Bom_Pkcs11Txt_Remove_Takes_The_First_Module_By_Its_Library_And_Keeps_The_Bom()
    {
        File.WriteAllText(_file, BomFile, new System.Text.UTF8Encoding(false));
        ModuleResult removed = _service.ForProfile(_profile).Remove("no such name", "/first.so", Yes);
        Assert.Equal(CryptoModuleStatus.Removed, removed.Module!.Status);
        Assert.Equal("First", removed.Module.Name);
        Assert.Equal(Bom.Concat(Samples.Utf8("library=/second.so\nname=Second\n\n")), File.ReadAllBytes(_file));
    }
}
