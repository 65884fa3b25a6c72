namespace Ekeng.Platform
{
    /// <summary>Locks: flock(2) on a folder handle, and fcntl(F_GETLK) to see who holds Firefox's '.parentlock'.</summary>
    internal static partial class UnixNative
    {
        // fcntl is variadic. On x86-64 (and Linux arm64) a variadic pointer travels like a fixed one; on Apple arm64
        // variadic arguments go on the stack, so the pointer is passed as the 9th argument after 6 dummy registers.
        [DllImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
        private static extern int FcntlNative(int fd, int command, byte[] flock);

        [DllImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
        private static extern int FcntlAppleArm64(int fd, int command, long x2, long x3, long x4, long x5, long x6, long x7, byte[] flock);

        [DllImport(Libc, EntryPoint = "flock", SetLastError = true)]
        private static extern int FlockNative(int fd, int operation);

        /// <summary>flock(2); false when <paramref name="operation"/> has LOCK_NB and another holder has the lock.</summary>
        public static bool Flock(SafeHandle file, int operation)
        {
            while (true)
            {
                if (WithFd(file, fd => FlockNative(fd, operation)) == 0)
                {
                    return true;
                }

                int errno = Marshal.GetLastWin32Error();
                if (errno == EWOULDBLOCK)
                {
                    return false;
                }

                if (errno != EINTR)
                {
                    throw new UnixIOException(errno, "Cannot lock");
                }
            }
        }

        /// <summary>
        /// The pid of another process that holds a write lock (fcntl) on the open file, 0 when none does, null when
        /// this OS/architecture is not supported here. Firefox holds such a lock on '.parentlock' while it runs, and
        /// the kernel drops it when the process ends, so it is never stale.
        /// </summary>
        public static int? GetLockingPid(FileStream file)
        {
            bool mac = HostOs.IsMacOS;
            bool linux = HostOs.IsLinux;
            if (IntPtr.Size != 8 || !(mac || linux))
            {
                return null;
            }

            int fd = (int)file.SafeFileHandle.DangerousGetHandle();
            byte[] flock;
            int result;
            if (linux)
            {
                // struct flock { short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid; } = 32 bytes.
                const int F_GETLK = 5;
                const short F_WRLCK = 1;
                const short F_UNLCK = 2;
                flock = new byte[32];
                BitConverter.GetBytes(F_WRLCK).CopyTo(flock, 0);
                result = FcntlNative(fd, F_GETLK, flock);
                if (result != 0)
                {
                    return null;
                }

                return LockOwner(BitConverter.ToInt16(flock, 0) != F_UNLCK, BitConverter.ToInt32(flock, 24));
            }
            else
            {
                // struct flock { off_t l_start; off_t l_len; pid_t l_pid; short l_type; short l_whence; } = 24 bytes.
                const int F_GETLK = 7;
                const short F_WRLCK = 3;
                const short F_UNLCK = 2;
                flock = new byte[24];
                BitConverter.GetBytes(F_WRLCK).CopyTo(flock, 20);
                result = RuntimeInformation.ProcessArchitecture == Architecture.Arm64
                    ? FcntlAppleArm64(fd, F_GETLK, 0, 0, 0, 0, 0, 0, flock)
                    : FcntlNative(fd, F_GETLK, flock);
                if (result != 0)
                {
                    return null;
                }

                return LockOwner(BitConverter.ToInt16(flock, 20) != F_UNLCK, BitConverter.ToInt32(flock, 16));
            }
        }

        /// <summary>
        /// What F_GETLK's answer means: 0 when nobody holds the lock, the holder's pid, or <see cref="UnknownLockHolder"/>
        /// when the lock is held but its pid reads 0: the holder lives in another pid namespace (a flatpak or snap
        /// Firefox, a container) whose pids this one cannot see. That Firefox may well run: never "no lock".
        /// </summary>
        internal static int LockOwner(bool locked, int pid) => !locked ? 0 : pid > 0 ? pid : UnknownLockHolder;

        /// <summary>A lock is held by a process whose pid cannot be seen from here.</summary>
        public const int UnknownLockHolder = -1;
    }
}
