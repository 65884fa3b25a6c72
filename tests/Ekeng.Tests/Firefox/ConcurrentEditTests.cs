using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

/// <summary>Two runs on one profile at once (Set against Remove, two deployment runs) lose no update and fail with no error.</summary>
public sealed class ConcurrentEditTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parallel_Set_And_Remove_Pairs_On_One_Profile_Lose_No_Update_And_Report_No_Error()
    {
        const int Threads = 8;
        var profile = new MozillaProfile(MozillaApplication.Firefox, "p", _dir.Path, null, MozillaPackaging.Native, true);
        string file = Path.Combine(_dir.Path, "pkcs11.txt");
        File.WriteAllText(file, Samples.FirefoxPkcs11Txt(_dir.Path));
        for (int round = 0; round < 5; round++)
        {
            var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
            using var start = new Barrier(Threads);
            Thread[] threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
            {
                // Each thread has its own service, as two processes would.
                var service = new CryptoModuleService(new FakeEnvironment(HostOs.Current, _dir.Path), null, new FakeProbe());
                start.SignalAndWait();
                string name = $"Device {round}.{i}";
                ModuleResult set = service.ForProfile(profile).Set(new CryptoModuleSpec(name, $"/lib/{round}/{i}.so"), (_, _) => true);
                if (set.Error != null || set.Module?.Status != CryptoModuleStatus.Added)
                {
                    errors.Add($"Set {name}: {set.Error?.ErrorId} {set.Error?.Message} {set.Module?.Status}");
                }

                if (i % 2 == 0)
                {
                    ModuleResult removed = service.ForProfile(profile).Remove(name, null, (_, _) => true);
                    if (removed.Error != null || removed.Module?.Status != CryptoModuleStatus.Removed)
                    {
                        errors.Add($"Remove {name}: {removed.Error?.ErrorId} {removed.Error?.Message} {removed.Module?.Status}");
                    }
                }
            })).ToArray();
            foreach (Thread t in threads)
            {
                t.Start();
            }

            foreach (Thread t in threads)
            {
                t.Join();
            }

            Assert.Empty(errors);
            Pkcs11Txt txt = Pkcs11Txt.Parse(File.ReadAllBytes(file), file);
            string[] expected = Enumerable.Range(0, round + 1)
                .SelectMany(r => Enumerable.Range(0, Threads).Where(i => i % 2 == 1).Select(i => $"Device {r}.{i}"))
                .Order().ToArray();
            Assert.Equal(expected, txt.ExternalModules.Select(m => m.Name!).Order().ToArray());
            Assert.Single(txt.Modules, m => m.IsInternal);
        }

        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }
}
