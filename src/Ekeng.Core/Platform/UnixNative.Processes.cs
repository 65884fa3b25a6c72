namespace Ekeng.Platform
{
    /// <summary>Processes and paths: kill(pid, 0), geteuid, realpath, readlink by path.</summary>
    internal static partial class UnixNative
    {
        [DllImport(Libc, EntryPoint = "readlink", SetLastError = true)]
        private static extern IntPtr ReadLinkNative(string path, byte[] buffer, IntPtr size);

        [DllImport(Libc, EntryPoint = "kill", SetLastError = true)]
        private static extern int KillNative(int pid, int signal);

        [DllImport(Libc, EntryPoint = "realpath", SetLastError = true)]
        private static extern IntPtr RealPathNative(string path, IntPtr resolved);

        [DllImport(Libc, EntryPoint = "free")]
        private static extern void FreeNative(IntPtr pointer);

        [DllImport(Libc, EntryPoint = "geteuid")]
        private static extern uint GetEuidNative();

        /// <summary>The target of a symbolic link, or null when <paramref name="path"/> is not one (or does not exist).</summary>
        public static string? ReadLink(string path)
        {
            var buffer = new byte[4096];
            long length = (long)ReadLinkNative(path, buffer, (IntPtr)buffer.Length);
            if (length < 0)
            {
                return null;
            }

            return Encoding.UTF8.GetString(buffer, 0, (int)length);
        }

        /// <summary>True when a process with that pid exists (kill(pid, 0) succeeds, or fails only for lack of permission).</summary>
        public static bool ProcessExists(int pid)
        {
            if (pid <= 0)
            {
                return false;
            }

            if (KillNative(pid, 0) == 0)
            {
                return true;
            }

            return Marshal.GetLastWin32Error() == EPERM;
        }

        /// <summary>The canonical absolute path (symlinks resolved), or null when it does not exist.</summary>
        public static string? RealPath(string path)
        {
            IntPtr resolved = RealPathNative(path, IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                return null;
            }

            try
            {
                return PtrToUtf8(resolved);
            }
            finally
            {
                FreeNative(resolved);
            }
        }

        public static bool IsRoot() => GetEuidNative() == 0;
    }
}
