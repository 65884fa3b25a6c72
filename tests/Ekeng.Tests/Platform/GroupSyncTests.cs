using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Ekeng.Platform;
using Ekeng.Tests.Firefox;

namespace Ekeng.Tests.Platform;

/// <summary>
/// The group commit of many atomic writes (Set-FirefoxCryptoModule over many profiles): every write waits for a sync that
/// started after its request, concurrent writes share syncs, a failed sync fails every write of its round, and a
/// grouped write syncs its file before the rename and the rename before it returns.
/// </summary>
public sealed class GroupSyncTests
{
    private static readonly SafeHandle AnyHandle = new Microsoft.Win32.SafeHandles.SafeFileHandle(IntPtr.Zero, ownsHandle: false);

    [Fact]
    public void Concurrent_Requests_Share_Syncs_And_Each_Returns_After_A_Sync_That_Started_After_It()
    {
        var clock = Stopwatch.StartNew();
        var syncs = new ConcurrentBag<(long Start, long End)>();
        var group = new GroupSync(_ =>
        {
            long start = clock.ElapsedTicks;
            Thread.Sleep(15);
            syncs.Add((start, clock.ElapsedTicks));
        });
        const int Writers = 32;
        var requests = new (long Asked, long Returned)[Writers];
        using var ready = new Barrier(Writers);
        Thread[] threads = Enumerable.Range(0, Writers).Select(i => new Thread(() =>
        {
            ready.SignalAndWait();
            long asked = clock.ElapsedTicks;
            group.Sync(AnyHandle, 1);
            requests[i] = (asked, clock.ElapsedTicks);
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        foreach (Thread t in threads)
        {
            Assert.True(t.Join(TimeSpan.FromMinutes(1)));
        }

        Assert.InRange(syncs.Count, 1, Writers / 2);
        foreach ((long asked, long returned) in requests)
        {
            Assert.Contains(syncs, s => s.Start >= asked && s.End <= returned);
        }
    }

    [Fact]
    public void A_Failed_Sync_Fails_Every_Write_Of_Its_Round_And_The_Next_Request_Syncs_Anew()
    {
        int calls = 0;
        using var firstMayEnd = new ManualResetEventSlim();
        var group = new GroupSync(_ =>
        {
            int call = Interlocked.Increment(ref calls);
            if (call == 1)
            {
                firstMayEnd.Wait(TimeSpan.FromMinutes(1));
            }
            else if (call == 2)
            {
                throw new IOException("Cannot flush the filesystem to disk: Input/output error");
            }
        });

        Exception? leaderError = null;
        var leader = new Thread(() => leaderError = Record(() => group.Sync(AnyHandle, 1)));
        leader.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1, TimeSpan.FromMinutes(1));

        // Two writers arrive while the first sync runs: they wait for the next round, which one of them leads.
        var errors = new Exception?[2];
        Thread[] late = Enumerable.Range(0, 2).Select(i => new Thread(() => errors[i] = Record(() => group.Sync(AnyHandle, 1)))).ToArray();
        foreach (Thread t in late)
        {
            t.Start();
        }

        SpinWait.SpinUntil(() => late.All(t => (t.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0), TimeSpan.FromMinutes(1));
        firstMayEnd.Set();
        Assert.True(leader.Join(TimeSpan.FromMinutes(1)));
        foreach (Thread t in late)
        {
            Assert.True(t.Join(TimeSpan.FromMinutes(1)));
        }

        Assert.Null(leaderError);
        Assert.All(errors, e => Assert.Contains("Input/output error", Assert.IsType<IOException>(e).Message));
        Assert.Equal(2, calls);

        group.Sync(AnyHandle, 1);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void A_Sync_Of_One_Filesystem_Does_Not_Hold_Up_The_Writes_Of_Another()
    {
        var slow = new Microsoft.Win32.SafeHandles.SafeFileHandle(IntPtr.Zero, ownsHandle: false);
        using var slowMayEnd = new ManualResetEventSlim();
        using var slowStarted = new ManualResetEventSlim();
        var group = new GroupSync(handle =>
        {
            if (ReferenceEquals(handle, slow))
            {
                slowStarted.Set();
                slowMayEnd.Wait(TimeSpan.FromMinutes(5));
            }
        });
        var first = new Thread(() => group.Sync(slow, 1));
        first.Start();
        Assert.True(slowStarted.Wait(TimeSpan.FromMinutes(1)));

        // Device 2's write returns while device 1's sync is still held (it is released only after).
        var other = new Thread(() => group.Sync(AnyHandle, 2));
        other.Start();
        bool otherEnded = other.Join(TimeSpan.FromSeconds(30));
        bool slowStillRunning = first.IsAlive;
        slowMayEnd.Set();
        Assert.True(otherEnded, "a sync of another filesystem waited for this one");
        Assert.True(slowStillRunning);
        Assert.True(first.Join(TimeSpan.FromMinutes(1)));
    }

    [SkippableFact]
    public void A_Grouped_Write_Syncs_Its_File_Before_The_Rename_And_The_Rename_Before_It_Returns()
    {
        Requires.Linux();
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("pkcs11.txt"), "old");
        var steps = new List<string>();
        var group = new GroupSync(handle =>
        {
            UnixNative.SyncFs(handle);
            steps.Add("sync");
        });
        using SafeFolder folder = SafeFolder.Open(dir.Path);
        var observer = new StepObserver(steps);
        string? backup = AtomicFile.Write(folder, "pkcs11.txt", s => s.Write("new"u8), AtomicFile.PrivateMode, keepBackup: true, replace: true, observer, group);

        Assert.Equal(new[] { "temporary", "sync", "rename", "sync" }, steps);
        Assert.Equal("new", File.ReadAllText(dir.Combine("pkcs11.txt")));
        Assert.Equal("old", File.ReadAllText(backup!));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private sealed class StepObserver(List<string> steps) : IAtomicWriteObserver
    {
        public void TemporaryCreated(string path) => steps.Add("temporary");

        public void BeforeRename(string path) => steps.Add("rename");
    }
}
