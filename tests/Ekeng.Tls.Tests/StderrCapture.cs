using System.Runtime.InteropServices;

namespace Ekeng.Tls.Tests;

/// <summary>
/// What native code of this process writes to file descriptor 2 while an action runs (libc's stderr, unbuffered): fd 2
/// is pointed at a temporary file with dup2 and restored afterwards. Tests only; one at a time.
/// </summary>
internal static class StderrCapture
{
    private static readonly object Gate = new();

    public static string Run(Action action)
    {
        lock (Gate)
        {
            string path = Path.Combine(Path.GetTempPath(), "ekeng-stderr-" + Guid.NewGuid().ToString("N") + ".txt");
            int saved = Dup(2);
            Assert.True(saved >= 0, "dup(2) failed");
            int file = Open(path, 0x41 /* O_WRONLY|O_CREAT */, 0x180 /* 0600 */);
            Assert.True(file >= 0, "open failed");
            try
            {
                Assert.True(Dup2(file, 2) >= 0, "dup2 failed");
                action();
            }
            finally
            {
                Dup2(saved, 2);
                Close(saved);
                Close(file);
            }

            string text = File.ReadAllText(path);
            File.Delete(path);
            return text;
        }
    }

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static extern int Dup2(int fd, int fd2);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
