using System.Diagnostics;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>
/// A file that exists but cannot be read (an I/O error: a bad sector, a dying USB disk, a broken network share) and a
/// profile on a read-only file system give their own errors, with the file's name, and leave everything as it was. Root
/// reads past permissions, so the failures are real ones made with mounts: a bind mount of /proc/PID/mem (a regular
/// file whose read at offset 0 fails with EIO) over the file, and a read-only bind mount of the profile folder.
/// </summary>
public sealed class ReadWriteFailureTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<string> _mounts = new();
    private readonly CryptoModuleService _service;
    private readonly MozillaProfile _profile;

    public ReadWriteFailureTests()
    {
        _service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, _dir.Path), null, new FakeProbe());
        _profile = new MozillaProfile(MozillaApplication.Firefox, "p", _dir.Path, null, MozillaPackaging.Native, true);
    }

    public void Dispose()
    {
        foreach (string mount in Enumerable.Reverse(_mounts))
        {
            Mount("umount", mount);
        }

        _dir.Dispose();
    }

    private static void Mount(params string[] args) => Mount(false, args);

    /// <summary>Runs mount (or umount); <paramref name="first"/>: a refusal (no CAP_SYS_ADMIN here) skips the test.</summary>
    private static void Mount(bool first, params string[] args)
    {
        var start = new ProcessStartInfo(args[0] == "umount" ? "umount" : "mount") { RedirectStandardError = true };
        foreach (string a in args[0] == "umount" ? args.Skip(1) : args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Requires.That(!first || p.ExitCode == 0, $"mount is refused here: {error.Trim()}");
        Assert.True(p.ExitCode == 0, $"{start.FileName} {string.Join(' ', start.ArgumentList)}: {error}");
    }

    /// <summary>Puts a file at <paramref name="path"/> whose every read fails with EIO (read-only: nothing can write through it).</summary>
    private void Unreadable(string path)
    {
        Requires.Root();
        File.WriteAllText(path, string.Empty);
        Mount(true, "--bind", $"/proc/{Environment.ProcessId}/mem", path);
        _mounts.Add(path);
        Mount("-o", "remount,bind,ro", path);
        Assert.Throws<IOException>(() => File.ReadAllBytes(path));
    }

    [SkippableFact]
    public void A_ProfilesIni_That_Fails_To_Read_Is_ProfilesIniUnreadable_ReadError()
    {
        string ini = _dir.Combine("profiles.ini");
        Unreadable(ini);
        var e = Assert.Throws<EkengException>(() => ProfilesIni.Read(ini));
        Assert.Equal("ProfilesIniUnreadable", e.ErrorId);
        Assert.Equal(EkengErrorKind.ReadError, e.Kind);
        Assert.Contains(ini, e.Message);
        Assert.Equal(ini, e.TargetObject);
    }

    [SkippableFact]
    public void A_Pkcs11Txt_That_Fails_To_Read_Is_Pkcs11TxtUnreadable_And_Set_Writes_Nothing()
    {
        string txt = _dir.Combine("pkcs11.txt");
        Unreadable(txt);
        EkengException? error = _service.ForProfile(_profile).Get().SingleOrDefault(r => r.Error != null)?.Error;
        Assert.Equal("Pkcs11TxtUnreadable", error?.ErrorId);
        Assert.Equal(EkengErrorKind.ReadError, error!.Kind);
        Assert.Contains(txt, error.Message);

        bool asked = false;
        ModuleResult set = _service.ForProfile(_profile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => asked = true);
        Assert.Equal("Pkcs11TxtUnreadable", set.Error?.ErrorId);
        Assert.False(asked);
        Assert.Equal(new[] { txt }, Directory.GetFiles(_dir.Path));
    }

    [SkippableFact]
    public void A_PoliciesJson_That_Fails_To_Read_Is_PolicyJsonUnreadable_For_Get_Test_And_Set()
    {
        string json = _dir.Combine("policies.json");
        Unreadable(json);
        ICryptoModuleTarget target = _service.ForPolicyFile(MozillaApplication.Firefox, json);
        EkengException? get = Assert.Single(target.Get()).Error;
        Assert.Equal("PolicyJsonUnreadable", get?.ErrorId);
        Assert.Equal(EkengErrorKind.ReadError, get!.Kind);
        Assert.Contains(json, get.Message);
        Assert.Equal("PolicyJsonUnreadable", target.Test(new CryptoModuleSpec("A", "/a.so")).Error?.ErrorId);

        bool asked = false;
        Assert.Equal("PolicyJsonUnreadable", target.Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => asked = true).Error?.ErrorId);
        Assert.False(asked);
        Assert.Equal(new[] { json }, Directory.GetFiles(_dir.Path));
    }

    [SkippableFact]
    public void A_Profile_On_A_Read_Only_File_System_Is_Pkcs11TxtWriteFailed_WriteError_And_Left_As_It_Was()
    {
        Requires.Root();
        string txt = _dir.Combine("pkcs11.txt");
        byte[] before = Samples.Utf8(Samples.FirefoxPkcs11Txt(_dir.Path));
        File.WriteAllBytes(txt, before);
        Mount(true, "--bind", _dir.Path, _dir.Path);
        _mounts.Add(_dir.Path);
        Mount("-o", "remount,bind,ro", _dir.Path);

        ModuleResult set = _service.ForProfile(_profile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true);
        Assert.Equal("Pkcs11TxtWriteFailed", set.Error?.ErrorId);
        Assert.Equal(EkengErrorKind.WriteError, set.Error!.Kind);
        Assert.Contains(txt, set.Error.Message);
        Assert.Equal(CryptoModuleStatus.Skipped, set.Module!.Status);
        Assert.Equal(before, File.ReadAllBytes(txt));
        Assert.Equal(new[] { txt }, Directory.GetFiles(_dir.Path));
    }
}
