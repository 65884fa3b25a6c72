using System.Diagnostics;
using System.Runtime.InteropServices;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Tests.Firefox;

public sealed class ProfileLockTests
{
    [Fact]
    public void Linux_Symlink_Live_Pid_Is_Running_Dead_Pid_Is_Stale_Other_Host_Is_Running()
    {
        var probe = new FakeProbe();
        var detector = new ProfileLockDetector(OsPlatform.Linux, probe);
        probe.Links["/p/lock"] = "127.0.0.1:+1234";
        Assert.False(detector.Check("/p").IsRunning);
        Assert.Contains("stale", detector.Check("/p").Description);
        probe.Alive.Add(1234);
        ProfileLockState live = detector.Check("/p");
        Assert.True(live.IsRunning);
        Assert.Equal(1234, live.Pid);
        probe.Links["/p/lock"] = "10.9.8.7:+99";
        Assert.True(detector.Check("/p").IsRunning);
        Assert.Contains("another machine", detector.Check("/p").Description);
    }

    [Fact]
    public void Linux_And_MacOS_Fcntl_Lock_On_Parentlock_Is_Running()
    {
        var probe = new FakeProbe();
        probe.FcntlLocks["/p/.parentlock"] = 55;
        Assert.True(new ProfileLockDetector(OsPlatform.Linux, probe).Check("/p").IsRunning);
        Assert.True(new ProfileLockDetector(OsPlatform.MacOS, probe).Check("/p").IsRunning);
        Assert.False(new ProfileLockDetector(OsPlatform.MacOS, probe).Check("/q").IsRunning);
    }

    [Fact]
    public void Windows_Parent_Lock_Held_Exclusively_Is_Running()
    {
        var probe = new FakeProbe();
        var detector = new ProfileLockDetector(OsPlatform.Windows, probe);
        string file = Path.Combine("C:/p", "parent.lock");
        Assert.False(detector.Check("C:/p").IsRunning);
        probe.Exclusive.Add(file);
        Assert.True(detector.Check("C:/p").IsRunning);
    }

    [Fact]
    public void A_Lock_Symlink_Whose_Pid_Reads_0_Counts_As_Maybe_Running_Not_Stale()
    {
        var probe = new FakeProbe();
        probe.Links["/p/lock"] = "127.0.0.1:+0";
        ProfileLockState state = new ProfileLockDetector(OsPlatform.Linux, probe).Check("/p");
        Assert.True(state.IsRunning);
        Assert.Null(state.Pid);
        Assert.Contains("may be running", state.Description);
    }

    [Fact]
    public void An_Fcntl_Lock_Whose_Owner_Pid_Reads_0_Counts_As_Maybe_Running()
    {
        // F_GETLK reports l_pid 0 for a holder in another pid namespace (flatpak/snap Firefox, a container).
        Assert.Equal(UnixNative.UnknownLockHolder, UnixNative.LockOwner(locked: true, pid: 0));
        Assert.Equal(0, UnixNative.LockOwner(locked: false, pid: 0));
        Assert.Equal(42, UnixNative.LockOwner(locked: true, pid: 42));
        var probe = new FakeProbe();
        probe.FcntlLocks["/p/.parentlock"] = UnixNative.UnknownLockHolder;
        foreach (OsPlatform platform in new[] { OsPlatform.Linux, OsPlatform.MacOS })
        {
            ProfileLockState state = new ProfileLockDetector(platform, probe).Check("/p");
            Assert.True(state.IsRunning);
            Assert.Contains("another pid namespace", state.Description);
        }
    }

    [SkippableFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Real_Os_Lock_Symlink_And_Fcntl_Lock()
    {
        Requires.Linux();

        using var dir = new TempDir();
        var detector = new ProfileLockDetector(OsPlatform.Linux);
        Assert.False(detector.Check(dir.Path).IsRunning);

        // A live pid (this test process), then a pid that has ended.
        File.CreateSymbolicLink(Path.Combine(dir.Path, "lock"), "127.0.0.1:+" + Environment.ProcessId);
        Assert.True(detector.Check(dir.Path).IsRunning);
        using (Process ended = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            ended.WaitForExit();
            File.Delete(Path.Combine(dir.Path, "lock"));
            File.CreateSymbolicLink(Path.Combine(dir.Path, "lock"), "127.0.0.1:+" + ended.Id);
        }

        Assert.False(detector.Check(dir.Path).IsRunning);

        // Another process holding an fcntl write lock on .parentlock, as Firefox does.
        string parentLock = Path.Combine(dir.Path, ".parentlock");
        File.WriteAllBytes(parentLock, Array.Empty<byte>());
        var holder = new ProcessStartInfo("perl", new[] { "-MFcntl", "-e", "open(my $f, '+<', $ARGV[0]) or die; my $l = pack('s s x4 q q l x4', F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLK, $l) or die; print \"locked\\n\"; $| = 1; <STDIN>;", parentLock })
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using Process perl = Process.Start(holder)!;
        Assert.Equal("locked", perl.StandardOutput.ReadLine());
        ProfileLockState held = detector.Check(dir.Path);
        Assert.True(held.IsRunning);
        Assert.Equal(perl.Id, held.Pid);
        perl.StandardInput.Close();
        perl.WaitForExit();
        Assert.False(detector.Check(dir.Path).IsRunning);
    }
}
