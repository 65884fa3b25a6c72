namespace Ekeng.Platform
{
    /// <summary>
    /// The few libc calls the module needs on Linux and macOS, one concern a file: the handle-based file calls
    /// (UnixNative.Files: openat, mkdirat, renameat, linkat, unlinkat, readlinkat, fchmod, fchown, fsync) that work
    /// relative to a folder opened once, file status (UnixNative.Stat: fstat, fstatat, stat), locks (UnixNative.Locks:
    /// flock, fcntl F_GETLK on Firefox's '.parentlock'), processes and paths (UnixNative.Processes: kill(pid, 0),
    /// geteuid, realpath, readlink) and their constants (UnixNative.Constants). Nothing here changes a file by its path.
    /// Strings are UTF-8.
    /// </summary>
    internal static partial class UnixNative
    {
        private const string Libc = "libc";

        private static bool IsMac => HostOs.IsMacOS;

        /// <summary>
        /// True where the handle-based calls below are known (flags, struct stat layout): Linux x86-64 and arm64, macOS
        /// x86-64 and arm64. Elsewhere on Unix the Firefox services refuse to write rather than fall back to paths.
        /// </summary>
        public static bool HasFileHandles =>
            IntPtr.Size == 8
            && (RuntimeInformation.ProcessArchitecture == Architecture.X64 || RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
            && (IsMac || HostOs.IsLinux);

        private static bool LinuxArm64 => !IsMac && RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

        private static int WithFd(SafeHandle handle, Func<int, int> call)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return call((int)handle.DangerousGetHandle());
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        private static void Check(int result, string what)
        {
            if (result != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw new UnixIOException(errno, what);
            }
        }

        private static string PtrToUtf8(IntPtr pointer)
        {
            int length = 0;
            while (Marshal.ReadByte(pointer, length) != 0)
            {
                length++;
            }

            var bytes = new byte[length];
            Marshal.Copy(pointer, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
