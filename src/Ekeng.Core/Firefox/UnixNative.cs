using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Ekeng.Firefox
{
    /// <summary>
    /// The few libc calls the Firefox services need on Linux and macOS: readlink (the profile's 'lock' symlink),
    /// kill(pid, 0) (is that pid alive), fcntl(F_GETLK) (the lock Firefox holds on '.parentlock'), realpath, and
    /// stat/chown so that a file rewritten by root keeps its owner. Strings are marshalled as UTF-8 (.NET on Unix).
    /// </summary>
    internal static class UnixNative
    {
        private const string Libc = "libc";

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

        [DllImport(Libc, EntryPoint = "chown", SetLastError = true)]
        private static extern int ChownNative(string path, uint owner, uint group);

        [DllImport(Libc, EntryPoint = "chmod", SetLastError = true)]
        private static extern int ChmodNative(string path, uint mode);

        [DllImport(Libc, EntryPoint = "stat", SetLastError = true)]
        private static extern int StatNative(string path, byte[] buffer);

        [DllImport(Libc, EntryPoint = "__xstat", SetLastError = true)]
        private static extern int XStatNative(int version, string path, byte[] buffer);

        // fcntl is variadic. On x86-64 (and Linux arm64) a variadic pointer travels like a fixed one; on Apple arm64
        // variadic arguments go on the stack, so the pointer is passed as the 9th argument after 6 dummy registers.
        [DllImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
        private static extern int FcntlNative(int fd, int command, byte[] flock);

        [DllImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
        private static extern int FcntlAppleArm64(int fd, int command, long x2, long x3, long x4, long x5, long x6, long x7, byte[] flock);

        private const int EPERM = 1;

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

        /// <summary>
        /// The pid of another process that holds a write lock (fcntl) on the open file, 0 when none does, null when
        /// this OS/architecture is not supported here. Firefox holds such a lock on '.parentlock' while it runs, and
        /// the kernel drops it when the process ends, so it is never stale.
        /// </summary>
        public static int? GetLockingPid(FileStream file)
        {
            bool mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            bool linux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
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

                short type = BitConverter.ToInt16(flock, 0);
                return type == F_UNLCK ? 0 : BitConverter.ToInt32(flock, 24);
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

                short type = BitConverter.ToInt16(flock, 20);
                return type == F_UNLCK ? 0 : BitConverter.ToInt32(flock, 16);
            }
        }

        /// <summary>The owner and group of a file (Linux x86-64 and arm64 only), or null.</summary>
        public static (uint Uid, uint Gid)? GetOwner(string path)
        {
            (uint Uid, uint Gid, uint Mode)? stat = Stat(path);
            return stat is null ? ((uint, uint)?)null : (stat.Value.Uid, stat.Value.Gid);
        }

        /// <summary>Owner, group and mode of a file (Linux x86-64 and arm64 only), or null.</summary>
        public static (uint Uid, uint Gid, uint Mode)? Stat(string path)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || IntPtr.Size != 8)
            {
                return null;
            }

            bool arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
            bool x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
            if (!arm64 && !x64)
            {
                return null;
            }

            var buffer = new byte[256];
            int result;
            try
            {
                result = StatNative(path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.33 exports only __xstat (_STAT_VER is 1 on x86-64, 0 on arm64).
                result = XStatNative(x64 ? 1 : 0, path, buffer);
            }

            if (result != 0)
            {
                return null;
            }

            // x86-64: st_dev(8) st_ino(8) st_nlink(8) st_mode(4) st_uid(4) st_gid(4); arm64: st_dev st_ino st_mode(4) st_nlink(4) st_uid st_gid.
            int uidOffset = x64 ? 28 : 24;
            int modeOffset = x64 ? 24 : 16;
            return (BitConverter.ToUInt32(buffer, uidOffset), BitConverter.ToUInt32(buffer, uidOffset + 4), BitConverter.ToUInt32(buffer, modeOffset));
        }

        /// <summary>
        /// Gives <paramref name="path"/> the permission bits and, for root, the owner of <paramref name="like"/>.
        /// False when this platform's stat layout is not known here (the caller then copies the file instead).
        /// </summary>
        public static bool CopyModeAndOwner(string like, string path)
        {
            (uint Uid, uint Gid, uint Mode)? want = Stat(like);
            if (want is null)
            {
                return false;
            }

            if (ChmodNative(path, want.Value.Mode & 0xFFF) != 0)
            {
                throw new IOException($"Cannot give '{path}' the permissions of '{like}' (errno {Marshal.GetLastWin32Error()}).");
            }

            if (IsRoot() && ChownNative(path, want.Value.Uid, want.Value.Gid) != 0)
            {
                throw new IOException($"Cannot give '{path}' the owner of '{like}' (errno {Marshal.GetLastWin32Error()}).");
            }

            return true;
        }

        /// <summary>Gives <paramref name="path"/> the owner and group of <paramref name="like"/> when they differ (root only).</summary>
        public static void CopyOwner(string like, string path)
        {
            if (!IsRoot())
            {
                return;
            }

            (uint Uid, uint Gid)? want = GetOwner(like);
            (uint Uid, uint Gid)? have = GetOwner(path);
            if (want is null || have is null || want.Value.Equals(have.Value))
            {
                return;
            }

            if (ChownNative(path, want.Value.Uid, want.Value.Gid) != 0)
            {
                throw new IOException($"Cannot give '{path}' the owner of '{like}' (errno {Marshal.GetLastWin32Error()}).");
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
