using System.Runtime.InteropServices;

namespace Ekeng.Tests.Firefox;

/// <summary>libc calls the file-safety tests use to build hostile folders: FIFOs, owners, the umask.</summary>
internal static class UnixTestFiles
{
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifoNative(string path, uint mode);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int LChownNative(string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "umask")]
    public static extern uint Umask(uint mask);

    [DllImport("libc", EntryPoint = "lstat")]
    private static extern int LStatNative(string path, byte[] buffer);

    public static void MkFifo(string path) => Assert.Equal(0, MkFifoNative(path, 0x1B6));

    public static void Chown(string path, uint uid, uint gid) => Assert.Equal(0, LChownNative(path, uid, gid));

    /// <summary>Owner, group and permission bits of a path itself (x86-64 or arm64 Linux layout).</summary>
    public static (uint Uid, uint Gid, uint Mode) Owner(string path)
    {
        var buffer = new byte[256];
        Assert.Equal(0, LStatNative(path, buffer));
        bool arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
        int mode = arm64 ? 16 : 24;
        int uid = arm64 ? 24 : 28;
        return (BitConverter.ToUInt32(buffer, uid), BitConverter.ToUInt32(buffer, uid + 4), BitConverter.ToUInt32(buffer, mode) & 0xFFF);
    }

    /// <summary>Runs <paramref name="action"/> and fails when it takes longer than 5 s (a FIFO read would hang).</summary>
    public static T Within5Seconds<T>(Func<T> action)
    {
        Task<T> task = Task.Run(action);
        Assert.True(Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(5))).GetAwaiter().GetResult() == task, "took longer than 5 s (hung on a FIFO or an endless file?)");
        return task.GetAwaiter().GetResult();
    }
}
