using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>
    /// The few libc calls the Firefox services need on Linux and macOS: readlink (the profile's 'lock' symlink),
    /// kill(pid, 0) (is that pid alive), fcntl(F_GETLK) (the lock Firefox holds on '.parentlock'), realpath, and the
    /// handle-based file calls (openat, fstat, fstatat, readlinkat, fchown, fchmod, renameat, linkat, unlinkat, flock)
    /// that work relative to a folder opened once. Nothing here changes a file by its path. Strings are UTF-8.
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

        // ---- handle-based file calls: the file is opened once (never following a final symlink) and worked on by fd ----

        [DllImport(Libc, EntryPoint = "mkdirat", SetLastError = true)]
        private static extern int MkDirAtNative(int dirfd, string path, uint mode);

        [DllImport(Libc, EntryPoint = "openat", SetLastError = true)]
        private static extern int OpenAtNative(int dirfd, string path, int flags, int mode);

        // openat is variadic (mode): on Apple arm64 variadic arguments go on the stack, after the 8 argument registers.
        [DllImport(Libc, EntryPoint = "openat", SetLastError = true)]
        private static extern int OpenAtAppleArm64(int dirfd, string path, int flags, long x3, long x4, long x5, long x6, long x7, long mode);

        [DllImport(Libc, EntryPoint = "fstat", SetLastError = true)]
        private static extern int FStatNative(int fd, byte[] buffer);

        [DllImport(Libc, EntryPoint = "__fxstat", SetLastError = true)]
        private static extern int FXStatNative(int version, int fd, byte[] buffer);

        [DllImport(Libc, EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static extern int FStatInode64(int fd, byte[] buffer);

        [DllImport(Libc, EntryPoint = "fstatat", SetLastError = true)]
        private static extern int FStatAtNative(int dirfd, string path, byte[] buffer, int flags);

        [DllImport(Libc, EntryPoint = "__fxstatat", SetLastError = true)]
        private static extern int FXStatAtNative(int version, int dirfd, string path, byte[] buffer, int flags);

        [DllImport(Libc, EntryPoint = "fstatat$INODE64", SetLastError = true)]
        private static extern int FStatAtInode64(int dirfd, string path, byte[] buffer, int flags);

        [DllImport(Libc, EntryPoint = "readlinkat", SetLastError = true)]
        private static extern IntPtr ReadLinkAtNative(int dirfd, string path, byte[] buffer, IntPtr size);

        [DllImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
        private static extern int FChmodNative(int fd, uint mode);

        [DllImport(Libc, EntryPoint = "fchown", SetLastError = true)]
        private static extern int FChownNative(int fd, uint owner, uint group);

        [DllImport(Libc, EntryPoint = "fsync", SetLastError = true)]
        private static extern int FSyncNative(int fd);

        [DllImport(Libc, EntryPoint = "flock", SetLastError = true)]
        private static extern int FlockNative(int fd, int operation);

        [DllImport(Libc, EntryPoint = "renameat", SetLastError = true)]
        private static extern int RenameAtNative(int olddirfd, string oldpath, int newdirfd, string newpath);

        [DllImport(Libc, EntryPoint = "linkat", SetLastError = true)]
        private static extern int LinkAtNative(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

        [DllImport(Libc, EntryPoint = "unlinkat", SetLastError = true)]
        private static extern int UnlinkAtNative(int dirfd, string path, int flags);

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

        // open(2) flags: Linux generic values (x86-64 and arm64 differ only in O_DIRECTORY and O_NOFOLLOW), and macOS.
        public static int O_RDONLY => 0;
        public static int O_WRONLY => 1;
        public static int O_CREAT => IsMac ? 0x200 : 0x40;
        public static int O_EXCL => IsMac ? 0x800 : 0x80;
        public static int O_NONBLOCK => IsMac ? 0x4 : 0x800;
        public static int O_DIRECTORY => IsMac ? 0x100000 : LinuxArm64 ? 0x4000 : 0x10000;
        public static int O_NOFOLLOW => IsMac ? 0x100 : LinuxArm64 ? 0x8000 : 0x20000;
        public static int O_CLOEXEC => IsMac ? 0x1000000 : 0x80000;

        /// <summary>Linux O_PATH: a handle to a name itself (a folder to walk from, a symlink to read), no read access needed.</summary>
        public const int O_PATH_LINUX = 0x200000;

        public static int AT_SYMLINK_NOFOLLOW => IsMac ? 0x20 : 0x100;

        public static int AT_FDCWD => IsMac ? -2 : -100;

        public static int ELOOP => IsMac ? 62 : 40;
        public static int EWOULDBLOCK => IsMac ? 35 : 11;
        public const int ENOENT = 2;
        public const int EINTR = 4;
        public const int EEXIST = 17;
        public const int ENOTDIR = 20;
        public static int EOPNOTSUPP => IsMac ? 102 : 95;
        public const int EMLINK = 31;
        public const int EXDEV = 18;

        public const int LOCK_EX = 2;
        public const int LOCK_NB = 4;
        public const int LOCK_UN = 8;

        public const uint S_IFMT = 0xF000;
        public const uint S_IFREG = 0x8000;
        public const uint S_IFDIR = 0x4000;

        /// <summary>openat(2); the returned handle owns the fd. Throws <see cref="UnixIOException"/> with errno.</summary>
        public static SafeFileHandle OpenAt(SafeHandle? directory, string path, int flags, uint mode = 0)
        {
            bool added = false;
            try
            {
                int dirfd = AT_FDCWD;
                if (directory != null)
                {
                    directory.DangerousAddRef(ref added);
                    dirfd = (int)directory.DangerousGetHandle();
                }

                while (true)
                {
                    int fd = IsMac && RuntimeInformation.ProcessArchitecture == Architecture.Arm64
                        ? OpenAtAppleArm64(dirfd, path, flags, 0, 0, 0, 0, 0, mode)
                        : OpenAtNative(dirfd, path, flags, (int)mode);
                    if (fd >= 0)
                    {
                        return new SafeFileHandle((IntPtr)fd, true);
                    }

                    int errno = Marshal.GetLastWin32Error();
                    if (errno != EINTR)
                    {
                        throw new UnixIOException(errno, $"Cannot open '{path}'");
                    }
                }
            }
            finally
            {
                if (added)
                {
                    directory!.DangerousRelease();
                }
            }
        }

        /// <summary>fstat(2) of an open file: type and permission bits, owner, size, device and inode.</summary>
        public static FileStatus FStat(SafeHandle file)
        {
            var buffer = new byte[256];
            int result = WithFd(file, fd =>
            {
                if (IsMac)
                {
                    return RuntimeInformation.ProcessArchitecture == Architecture.X64 ? FStatInode64(fd, buffer) : FStatNative(fd, buffer);
                }

                try
                {
                    return FStatNative(fd, buffer);
                }
                catch (EntryPointNotFoundException)
                {
                    // glibc before 2.33 exports only __fxstat (_STAT_VER is 1 on x86-64, 0 on arm64).
                    return FXStatNative(LinuxArm64 ? 0 : 1, fd, buffer);
                }
            });
            Check(result, "Cannot stat an open file");
            return ParseStat(buffer);
        }

        /// <summary>
        /// fstatat(2) of <paramref name="path"/> in an open folder, never following a symbolic link (the link itself is
        /// described); null when it does not exist.
        /// </summary>
        public static FileStatus? FStatAt(SafeHandle directory, string path)
        {
            var buffer = new byte[256];
            int flags = AT_SYMLINK_NOFOLLOW;
            int result = WithFd(directory, fd =>
            {
                if (IsMac)
                {
                    return RuntimeInformation.ProcessArchitecture == Architecture.X64 ? FStatAtInode64(fd, path, buffer, flags) : FStatAtNative(fd, path, buffer, flags);
                }

                try
                {
                    return FStatAtNative(fd, path, buffer, flags);
                }
                catch (EntryPointNotFoundException)
                {
                    return FXStatAtNative(LinuxArm64 ? 0 : 1, fd, path, buffer, flags);
                }
            });
            if (result != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == ENOENT)
                {
                    return null;
                }

                throw new UnixIOException(errno, $"Cannot stat '{path}'");
            }

            return ParseStat(buffer);
        }

        /// <summary>
        /// readlinkat(2): the target of the symbolic link <paramref name="path"/> in an open folder (Linux: "" reads the
        /// link an O_PATH handle refers to).
        /// </summary>
        public static string ReadLinkAt(SafeHandle directory, string path)
        {
            var buffer = new byte[4097];
            long length = WithFd(directory, fd => (int)(long)ReadLinkAtNative(fd, path, buffer, (IntPtr)buffer.Length));
            if (length < 0)
            {
                throw new UnixIOException(Marshal.GetLastWin32Error(), $"Cannot read the link '{path}'");
            }

            if (length >= buffer.Length)
            {
                throw new UnixIOException(ENAMETOOLONG, $"The link '{path}' is too long");
            }

            return Encoding.UTF8.GetString(buffer, 0, (int)length);
        }

        private const int ENAMETOOLONG = 36;

        private static FileStatus ParseStat(byte[] buffer)
        {
            if (IsMac)
            {
                // dev(4) mode(2) nlink(2) ino(8) uid(4) gid(4) rdev(4) pad(4) 4 timespecs(64) size(8)
                return new FileStatus(BitConverter.ToUInt16(buffer, 4), BitConverter.ToUInt32(buffer, 16), BitConverter.ToUInt32(buffer, 20),
                    BitConverter.ToInt64(buffer, 96), BitConverter.ToUInt32(buffer, 0), BitConverter.ToUInt64(buffer, 8));
            }

            // x86-64: dev(8) ino(8) nlink(8) mode(4) uid(4) gid(4) pad(4) rdev(8) size(8);
            // arm64:  dev(8) ino(8) mode(4) nlink(4) uid(4) gid(4) rdev(8) pad(8) size(8).
            int mode = LinuxArm64 ? 16 : 24;
            int uid = LinuxArm64 ? 24 : 28;
            return new FileStatus(BitConverter.ToUInt32(buffer, mode), BitConverter.ToUInt32(buffer, uid), BitConverter.ToUInt32(buffer, uid + 4),
                BitConverter.ToInt64(buffer, 48), BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
        }

        public static void FChmod(SafeHandle file, uint mode) => Check(WithFd(file, fd => FChmodNative(fd, mode & 0xFFF)), "Cannot set the permissions of an open file");

        public static void FChown(SafeHandle file, uint uid, uint gid) => Check(WithFd(file, fd => FChownNative(fd, uid, gid)), "Cannot set the owner of an open file");

        public static void FSync(SafeHandle file) => Check(WithFd(file, FSyncNative), "Cannot flush to disk");

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

        public static void RenameAt(SafeHandle directory, string from, string to) =>
            Check(WithFd(directory, fd => RenameAtNative(fd, from, fd, to)), $"Cannot rename '{from}' to '{to}'");

        /// <summary>linkat(2) within one folder, not following a symlink; fails (EEXIST) when <paramref name="to"/> exists.</summary>
        public static void LinkAt(SafeHandle directory, string from, string to) =>
            Check(WithFd(directory, fd => LinkAtNative(fd, from, fd, to, 0)), $"Cannot link '{from}' to '{to}'");

        /// <summary>unlinkat(2) of a file (a symlink itself, never its target); false when it did not exist.</summary>
        /// <summary>mkdirat(2): false when <paramref name="path"/> already exists (as anything: the caller opens it and checks).</summary>
        public static bool MkDirAt(SafeHandle directory, string path, uint mode)
        {
            if (WithFd(directory, fd => MkDirAtNative(fd, path, mode & 0xFFF)) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastWin32Error();
            if (errno == EEXIST)
            {
                return false;
            }

            throw new UnixIOException(errno, $"Cannot create the folder '{path}'");
        }

        public static bool UnlinkAt(SafeHandle directory, string path)
        {
            if (WithFd(directory, fd => UnlinkAtNative(fd, path, 0)) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastWin32Error();
            if (errno == ENOENT)
            {
                return false;
            }

            throw new UnixIOException(errno, $"Cannot remove '{path}'");
        }

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

        public const int EPERM = 1;

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

        /// <summary>The owner and group of a file (Linux x86-64 and arm64 only), or null.</summary>
        public static (uint Uid, uint Gid)? GetOwner(string path)
        {
            (uint Uid, uint Gid, uint Mode)? stat = Stat(path);
            return stat is null ? ((uint, uint)?)null : (stat.Value.Uid, stat.Value.Gid);
        }

        /// <summary>Owner, group and mode of a file (Linux x86-64 and arm64 only), or null.</summary>
        public static (uint Uid, uint Gid, uint Mode)? Stat(string path)
        {
            if (!HostOs.IsLinux || IntPtr.Size != 8)
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
