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
    public void A_Symlink_Swapped_In_Right_After_The_Temporary_File_Is_Created_Is_Never_Written_Through()
    {
        Requires.Root();

        using var elsewhere = new TempDir();
        string victim = elsewhere.Combine("victim");
        File.WriteAllText(victim, "untouched");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string target = _dir.Combine("pkcs11.txt");
        File.WriteAllText(target, "old");
        UnixTestFiles.Chown(target, Nobody, Nobody);
        TestHooks.AfterTempCreated = temp =>
        {
            File.Delete(temp);
            File.CreateSymbolicLink(temp, victim);
        };
        try
        {
            AtomicFile.Write(target, "new"u8.ToArray());
        }
        finally
        {
            TestHooks.AfterTempCreated = null;
        }

        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Equal((0u, 0u, 0x180u), UnixTestFiles.Owner(victim));
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
