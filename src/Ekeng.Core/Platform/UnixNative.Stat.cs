namespace Ekeng.Platform
{
    /// <summary>File status: fstat(2) and fstatat(2) on handles (type, permission bits, owner, size, device, inode), stat(2) by path for the owner and mode.</summary>
    internal static partial class UnixNative
    {
        [DllImport(Libc, EntryPoint = "stat", SetLastError = true)]
        private static extern int StatNative(string path, byte[] buffer);

        [DllImport(Libc, EntryPoint = "__xstat", SetLastError = true)]
        private static extern int XStatNative(int version, string path, byte[] buffer);

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
    }
}
