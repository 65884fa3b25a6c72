using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>
/// Every read of a file in a user's folder is bounded and never follows a link: a FIFO, a link to /dev/zero, a 5 MiB
/// file, a link to a file elsewhere are refused with a clear error, never a hang (a generous 5 s deadline; the speed is
/// measured by tests/bench/Firefox.Bench.ps1).
/// </summary>
public sealed class SafeReadTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CryptoModuleService _service;
    private readonly MozillaProfile _profile;

    public SafeReadTests()
    {
        _service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, _dir.Path), null, new FakeProbe());
        _profile = new MozillaProfile(MozillaApplication.Firefox, "p", _dir.Path, null, MozillaPackaging.Native, true);
    }

    public void Dispose() => _dir.Dispose();

    private string Pkcs11 => _dir.Combine("pkcs11.txt");

    private EkengException? GetError() =>
        UnixTestFiles.Within5Seconds(() => _service.ForProfile(_profile).Get()).SingleOrDefault(r => r.Error != null)?.Error;

    [SkippableFact]
    public void A_Fifo_Pkcs11Txt_Is_Refused_As_UnsafeFile_At_Once_Not_A_Hang()
    {
        Requires.Linux();
        UnixTestFiles.MkFifo(Pkcs11);

        // A hang would end at the generous 5 s deadline of Within5Seconds; how fast it is belongs to the Firefox bench.
        EkengException? error = GetError();
        Assert.Equal("UnsafeFile", error?.ErrorId);
        Assert.Contains("FIFO", error!.Message);

        // Set refuses it as well, and leaves it a FIFO.
        ModuleResult set = UnixTestFiles.Within5Seconds(() => _service.ForProfile(_profile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true));
        Assert.Equal("UnsafeFile", set.Error?.ErrorId);
    }

    [SkippableFact]
    public void A_Symlink_To_Dev_Zero_Is_Refused_As_UnsafeFile()
    {
        Requires.Linux();
        File.CreateSymbolicLink(Pkcs11, "/dev/zero");
        Assert.Equal("UnsafeFile", GetError()?.ErrorId);
        ModuleResult set = UnixTestFiles.Within5Seconds(() => _service.ForProfile(_profile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true));
        Assert.Equal("UnsafeFile", set.Error?.ErrorId);
        Assert.Equal("/dev/zero", new FileInfo(Pkcs11).LinkTarget);
    }

    [Fact]
    public void A_5_MiB_Pkcs11Txt_Is_Refused_As_FileTooLarge()
    {
        File.WriteAllBytes(Pkcs11, Enumerable.Repeat((byte)'#', 5 * 1024 * 1024).ToArray());
        EkengException? error = GetError();
        Assert.Equal("FileTooLarge", error?.ErrorId);
        Assert.Equal(EkengErrorKind.LimitsExceeded, error!.Kind);
    }

    [SkippableFact]
    public void A_Symlink_To_A_File_Outside_Is_Refused_For_Pkcs11Txt_ProfilesIni_And_PoliciesJson()
    {
        Requires.Linux();
        using var outside = new TempDir();
        string txt = outside.Combine("real.txt");
        File.WriteAllText(txt, "library=/x.so\nname=X\n\n");
        File.CreateSymbolicLink(Pkcs11, txt);
        Assert.Equal("UnsafeFile", GetError()?.ErrorId);

        string ini = outside.Combine("profiles.ini");
        File.WriteAllText(ini, "[Profile0]\nName=x\nPath=x\nIsRelative=1\n");
        File.CreateSymbolicLink(_dir.Combine("profiles.ini"), ini);
        var iniError = Assert.Throws<EkengException>(() => UnixTestFiles.Within5Seconds(() => ProfilesIni.Read(_dir.Combine("profiles.ini"))));
        Assert.Equal("UnsafeFile", iniError.ErrorId);

        string json = outside.Combine("policies.json");
        File.WriteAllText(json, "{\"policies\":{}}");
        File.CreateSymbolicLink(_dir.Combine("policies.json"), json);
        ModuleResult[] policy = UnixTestFiles.Within5Seconds(() => _service.ForPolicyFile(MozillaApplication.Firefox, _dir.Combine("policies.json")).Get());
        Assert.Equal("UnsafeFile", Assert.Single(policy).Error?.ErrorId);
    }

    [SkippableFact]
    public void A_Fifo_ProfilesIni_Or_PoliciesJson_Is_Refused_Fast()
    {
        Requires.Linux();
        UnixTestFiles.MkFifo(_dir.Combine("profiles.ini"));
        var iniError = Assert.Throws<EkengException>(() => UnixTestFiles.Within5Seconds(() => ProfilesIni.Read(_dir.Combine("profiles.ini"))));
        Assert.Equal("UnsafeFile", iniError.ErrorId);

        UnixTestFiles.MkFifo(_dir.Combine("policies.json"));
        ModuleResult[] policy = UnixTestFiles.Within5Seconds(() => _service.ForPolicyFile(MozillaApplication.Firefox, _dir.Combine("policies.json")).Get());
        Assert.Equal("UnsafeFile", Assert.Single(policy).Error?.ErrorId);
    }

    [SkippableFact]
    public void A_Fifo_Or_A_Symlink_As_Parentlock_Does_Not_Hang_The_Lock_Check()
    {
        Requires.Linux();
        var probe = new SystemProcessProbe();
        UnixTestFiles.MkFifo(_dir.Combine(".parentlock"));
        Assert.Null(UnixTestFiles.Within5Seconds(() => probe.GetLockingPid(_dir.Combine(".parentlock"))));
        File.CreateSymbolicLink(_dir.Combine("link"), "/dev/zero");
        Assert.Null(UnixTestFiles.Within5Seconds(() => probe.GetLockingPid(_dir.Combine("link"))));
    }
}
