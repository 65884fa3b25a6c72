using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>
/// Run as root over a user's profile: a symlink the user swaps in never lets root write to, chmod or chown another
/// file, and the files root creates there belong to the folder's owner with a mode Firefox can read.
/// </summary>
[Collection(RootFileSafetyCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RootWriteSafetyTests : IDisposable
{
    private const uint Nobody = 65534;
    private const uint OtherUser = 65533;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void A_Racing_Symlink_Swap_Of_The_Temporary_File_Or_The_Target_Leaves_The_Victims_Owner_Mode_And_Bytes_Unchanged()
    {
        Requires.Root();

        // The victim: a root file elsewhere. The profile: a folder and pkcs11.txt of uid 65534, the "user".
        using var elsewhere = new TempDir();
        string victim = elsewhere.Combine("victim");
        byte[] secret = "root's secret\n"u8.ToArray();
        File.WriteAllBytes(victim, secret);
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        string profile = _dir.Combine("profile");
        Directory.CreateDirectory(profile);
        UnixTestFiles.Chown(profile, Nobody, Nobody);
        string target = Path.Combine(profile, "pkcs11.txt");

        // A fresh target for each round, made under another name (the attacker leaves it alone) and renamed into place.
        string staging = Path.Combine(profile, "staging");
        void ResetTarget()
        {
            File.WriteAllText(staging, "library=/old.so\nname=Old\n\n");
            File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
            UnixTestFiles.Chown(staging, Nobody, Nobody);
            File.Move(staging, target, true);
        }

        // The "user" swaps every temporary file, and now and then the target, for a symlink to the victim.
        using var stop = new CancellationTokenSource();
        int swaps = 0;
        Task attacker = Task.Run(() =>
        {
            int round = 0;
            while (!stop.IsCancellationRequested)
            {
                foreach (string entry in Directory.EnumerateFileSystemEntries(profile))
                {
                    bool temp = entry.EndsWith(".tmp", StringComparison.Ordinal);
                    bool swapTarget = entry == target && ++round % 7 == 0;
                    if (!(temp || swapTarget))
                    {
                        continue;
                    }

                    try
                    {
                        File.Delete(entry);
                        File.CreateSymbolicLink(entry, victim);
                        Interlocked.Increment(ref swaps);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        });

        int refused = 0;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; clock.Elapsed < TimeSpan.FromSeconds(3) || i < 200; i++)
            {
                ResetTarget();
                try
                {
                    AtomicFile.Write(target, System.Text.Encoding.UTF8.GetBytes($"library=/new{i}.so\nname=New\n\n"));
                }
                catch (Exception e) when (e is EkengException || e is IOException)
                {
                    refused++;
                }
            }
        }
        finally
        {
            stop.Cancel();
            attacker.Wait();
        }

        Console.WriteLine($"race: {swaps} symlink swaps, {refused} writes refused");
        Assert.True(swaps > 0, "the attacker never swapped a file in");
        Assert.Equal(secret, File.ReadAllBytes(victim));
        Assert.Equal((0u, 0u, 0x1A0u), UnixTestFiles.Owner(victim));
    }

    [SkippableFact]
    public void A_Symlink_Swapped_In_Right_After_The_Temporary_File_Is_Created_Is_Never_Written_Through_Nor_Left_As_The_Target()
    {
        Requires.Root();

        using var elsewhere = new TempDir();
        string victim = elsewhere.Combine("victim");
        File.WriteAllText(victim, "untouched");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string target = _dir.Combine("pkcs11.txt");
        File.WriteAllText(target, "old");
        UnixTestFiles.Chown(target, Nobody, Nobody);
        var attacker = new SymlinkSwapper(victim, afterCreate: true);
        EkengException error = Assert.Throws<EkengException>(() => AtomicFile.Write(target, "new"u8.ToArray(), AtomicFile.PrivateMode, attacker));
        Assert.Equal(1, attacker.Swaps);

        Assert.Equal("UnsafeFile", error.ErrorId);
        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Equal((0u, 0u, 0x180u), UnixTestFiles.Owner(victim));
        AssertRegularFile(target, "old");
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [SkippableFact]
    public void A_Temporary_File_Swapped_For_A_Symlink_Just_Before_The_Rename_Is_Never_Left_As_The_Target()
    {
        Requires.Root();

        // The attacker wins the narrowest window: after the temporary file was checked, before renameat. A plain
        // renameat then moves their symlink over pkcs11.txt; the write must see it, say so, and put the old file back.
        using var elsewhere = new TempDir();
        string victim = elsewhere.Combine("victim");
        File.WriteAllText(victim, "untouched");
        string target = _dir.Combine("pkcs11.txt");
        File.WriteAllText(target, "old");
        UnixTestFiles.Chown(target, Nobody, Nobody);
        var attacker = new SymlinkSwapper(victim, afterCreate: false);
        EkengException error = Assert.Throws<EkengException>(() => AtomicFile.Write(target, "new"u8.ToArray(), AtomicFile.PrivateMode, attacker));
        Assert.Equal(1, attacker.Swaps);

        Assert.Equal("UnsafeFile", error.ErrorId);
        Assert.Equal("untouched", File.ReadAllText(victim));
        AssertRegularFile(target, "old");
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [SkippableFact]
    public void A_Profile_Folder_That_Is_A_Users_Symlink_To_A_Root_Owned_Folder_Is_Refused_And_Roots_Folder_Untouched()
    {
        Requires.Root();

        // ~user/.mozilla/firefox/p.default -> a folder of root's (and -> a folder of another user's).
        string home = UserFolder("home");
        string rootsFolder = _dir.Combine("root's folder");
        Directory.CreateDirectory(rootsFolder);
        File.WriteAllText(Path.Combine(rootsFolder, "keep"), "root's");
        string otherUsers = _dir.Combine("other user's folder");
        Directory.CreateDirectory(otherUsers);
        UnixTestFiles.Chown(otherUsers, OtherUser, OtherUser);
        var service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, home), null, new FakeProbe());
        foreach (string victimFolder in new[] { rootsFolder, otherUsers })
        {
            string link = Path.Combine(home, "p.default");
            File.Delete(link);
            File.CreateSymbolicLink(link, victimFolder);
            UnixTestFiles.Chown(link, Nobody, Nobody);
            var profile = new MozillaProfile(MozillaApplication.Firefox, "p", link, null, MozillaPackaging.Native, true);

            ModuleResult set = service.ForProfile(profile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true);
            Assert.Equal("UnsafeFolder", set.Error?.ErrorId);
            Assert.Equal(EkengErrorKind.SecurityError, set.Error!.Kind);
            Assert.Equal(CryptoModuleStatus.Skipped, set.Module?.Status);
            Assert.Equal("UnsafeFolder", Assert.Single(service.ForProfile(profile).Get()).Error?.ErrorId);
            Assert.Equal("UnsafeFolder", Assert.Throws<EkengException>(() => AtomicFile.Write(Path.Combine(link, "pkcs11.txt"), "x"u8.ToArray())).ErrorId);
        }

        Assert.Equal(new[] { "keep" }, Directory.GetFileSystemEntries(rootsFolder).Select(Path.GetFileName));
        Assert.Equal("root's", File.ReadAllText(Path.Combine(rootsFolder, "keep")));
        Assert.Empty(Directory.GetFileSystemEntries(otherUsers));
    }

    [SkippableFact]
    public void A_Profile_Folder_Swapped_For_A_Symlink_To_Roots_Folder_Between_The_Read_And_The_Write_Is_Never_Written_Through()
    {
        Requires.Root();

        string home = UserFolder("home");
        string profileDir = Path.Combine(home, "p.default");
        Directory.CreateDirectory(profileDir);
        UnixTestFiles.Chown(profileDir, Nobody, Nobody);
        File.WriteAllText(Path.Combine(profileDir, "pkcs11.txt"), "library=/old.so\nname=Old\n\n");
        UnixTestFiles.Chown(Path.Combine(profileDir, "pkcs11.txt"), Nobody, Nobody);
        string rootsFolder = _dir.Combine("root's folder");
        Directory.CreateDirectory(rootsFolder);

        // The Firefox-running check sits between the read and the write: there a racing thread (the "user", as inotify
        // on .parentlock would let them) renames the profile away and puts a symlink to root's folder in its place.
        using var reached = new ManualResetEventSlim();
        using var swapped = new ManualResetEventSlim();
        Thread attacker = new(() =>
        {
            reached.Wait();
            Directory.Move(profileDir, profileDir + ".away");
            File.CreateSymbolicLink(profileDir, rootsFolder);
            swapped.Set();
        });
        attacker.Start();
        var probe = new CallbackProbe(() =>
        {
            reached.Set();
            Assert.True(swapped.Wait(TimeSpan.FromSeconds(60)), "the racing thread did not swap the folder");
        });
        var service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, home), null, probe);
        var profile = new MozillaProfile(MozillaApplication.Firefox, "p", profileDir, null, MozillaPackaging.Native, true);

        ModuleResult set = service.ForProfile(profile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true);
        attacker.Join();

        Assert.True(probe.Called);
        Assert.Null(set.Error);
        Assert.Equal(CryptoModuleStatus.Added, set.Module?.Status);
        Assert.Empty(Directory.GetFileSystemEntries(rootsFolder));

        // The write went where the read was: the user's own folder, now under its new name, still the user's.
        string written = Path.Combine(profileDir + ".away", "pkcs11.txt");
        Assert.Contains("library=/a.so", File.ReadAllText(written));
        (uint uid, uint gid, _) = UnixTestFiles.Owner(written);
        Assert.Equal((Nobody, Nobody), (uid, gid));
        Assert.True(File.Exists(written + ".bak"));
    }

    [SkippableFact]
    public void A_Users_Own_Symlink_To_Their_Own_Folder_On_Another_Disk_Still_Works()
    {
        Requires.Root();
        Requires.That(Directory.Exists("/dev/shm"), "needs /dev/shm (a tmpfs: another file system than the temp folder)");

        string home = UserFolder("home");
        string disk = Path.Combine("/dev/shm", "ekeng-fs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(disk);
        try
        {
            string real = Path.Combine(disk, "profile");
            Directory.CreateDirectory(real);
            UnixTestFiles.Chown(real, Nobody, Nobody);
            string link = Path.Combine(home, "p.default");
            File.CreateSymbolicLink(link, real);
            UnixTestFiles.Chown(link, Nobody, Nobody);
            var service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, home), null, new FakeProbe());
            var profile = new MozillaProfile(MozillaApplication.Firefox, "p", link, null, MozillaPackaging.Native, true);

            ModuleResult set = service.ForProfile(profile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true);
            Assert.Null(set.Error);
            Assert.Equal(CryptoModuleStatus.Added, set.Module?.Status);
            Assert.Equal((Nobody, Nobody, 0x180u), UnixTestFiles.Owner(Path.Combine(real, "pkcs11.txt")));
            Assert.Equal("A", Assert.Single(service.ForProfile(profile).Get()).Module?.Name);
        }
        finally
        {
            Directory.Delete(disk, true);
        }
    }

    /// <summary>A folder of the "user" (uid 65534) inside the (root's) temp folder.</summary>
    private string UserFolder(string name)
    {
        string folder = _dir.Combine(name);
        Directory.CreateDirectory(folder);
        UnixTestFiles.Chown(folder, Nobody, Nobody);
        return folder;
    }

    private static void AssertRegularFile(string path, string content)
    {
        var info = new FileInfo(path);
        Assert.Null(info.LinkTarget);
        Assert.True(info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0, $"{path} is not a regular file");
        Assert.Equal(content, File.ReadAllText(path));
    }

    [SkippableFact]
    public void Files_Root_Creates_In_A_Users_Folder_Under_Umask_077_Get_The_Folders_Owner_And_A_Mode_Firefox_Reads()
    {
        Requires.Root();

        string profile = _dir.Combine("profile");
        Directory.CreateDirectory(profile);
        UnixTestFiles.Chown(profile, Nobody, Nobody);
        string policies = _dir.Combine("policies");
        Directory.CreateDirectory(policies);
        UnixTestFiles.Chown(policies, Nobody, Nobody);
        var service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, _dir.Path), null, new FakeProbe());
        var p = new MozillaProfile(MozillaApplication.Firefox, "p", profile, null, MozillaPackaging.Native, true);
        string pkcs11 = Path.Combine(profile, "pkcs11.txt");
        string policyFile = Path.Combine(policies, "policies.json");

        uint saved = UnixTestFiles.Umask(0x3F); // 077
        try
        {
            Assert.Null(service.ForProfile(p).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true).Error);
            Assert.Equal((Nobody, Nobody, 0x180u), UnixTestFiles.Owner(pkcs11)); // new pkcs11.txt: 0600 like NSS, the user's

            File.SetUnixFileMode(pkcs11, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Assert.Null(service.ForProfile(p).Set(new CryptoModuleSpec("B", "/b.so"), (_, _) => true).Error);
            Assert.Equal((Nobody, Nobody, 0x1A0u), UnixTestFiles.Owner(pkcs11)); // existing: its mode kept
            Assert.Equal((Nobody, Nobody, 0x1A0u), UnixTestFiles.Owner(pkcs11 + ".bak"));

            Assert.Null(service.ForPolicyFile(MozillaApplication.Firefox, policyFile).Set(new CryptoModuleSpec("A", "/a.so"), (_, _) => true).Error);
            Assert.Equal((Nobody, Nobody, 0x1A4u), UnixTestFiles.Owner(policyFile)); // 0644 whatever the umask
        }
        finally
        {
            UnixTestFiles.Umask(saved);
        }

        Assert.Empty(Directory.GetFiles(profile, "*.tmp"));
    }
}
