using System.Runtime.InteropServices;
using Ekeng.Firefox;
using Ekeng.Platform;

using Ekeng.Tests.Firefox;

namespace Ekeng.Tests.Platform;

public sealed class AtomicFileTests
{
    [Fact]
    public void Replaces_Keeps_A_Backup_And_Leaves_No_Temporary_File()
    {
        using var dir = new TempDir();
        string file = dir.Combine("pkcs11.txt");
        Assert.Null(AtomicFile.Write(file, "one"u8.ToArray()));
        Assert.Equal(file + ".bak", AtomicFile.Write(file, "two"u8.ToArray()));
        Assert.Equal("two", File.ReadAllText(file));
        Assert.Equal("one", File.ReadAllText(file + ".bak"));
        Assert.Equal(new[] { "pkcs11.txt", "pkcs11.txt.bak" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    [SkippableFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Keeps_The_Permissions_Of_The_File_It_Replaces()
    {
        Requires.Linux();

        using var dir = new TempDir();
        string file = dir.Combine("pkcs11.txt");
        File.WriteAllText(file, "old");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        AtomicFile.Write(file, "new"u8.ToArray());
        Assert.Equal("new", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
    }

    [SkippableFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Run_As_Root_Keeps_The_Owner_Of_The_File_It_Replaces()
    {
        Requires.Root();

        using var dir = new TempDir();
        string file = dir.Combine("pkcs11.txt");
        File.WriteAllText(file, "old");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, Chown(file, 65534, 65534));
        AtomicFile.Write(file, "new"u8.ToArray());
        Assert.Equal("new", File.ReadAllText(file));
        Assert.Equal((65534u, 65534u), UnixNative.GetOwner(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [DllImport("libc", EntryPoint = "chown")]
    private static extern int Chown(string path, uint owner, uint group);
}
