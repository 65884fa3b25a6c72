using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>The handle-based file calls: the file is opened once (never following a final symlink) and worked on by fd, relative to a folder opened once.</summary>
    internal static partial class UnixNative
    {
        [DllImport(Libc, EntryPoint = "mkdirat", SetLastError = true)]
        private static extern int MkDirAtNative(int dirfd, string path, uint mode);

        [DllImport(Libc, EntryPoint = "openat", SetLastError = true)]
        private static extern int OpenAtNative(int dirfd, string path, int flags, int mode);

        // openat is variadic (mode): on Apple arm64 variadic arguments go on the stack, after the 8 argument registers.
        [DllImport(Libc, EntryPoint = "openat", SetLastError = true)]
        private static extern int OpenAtAppleArm64(int dirfd, string path, int flags, long x3, long x4, long x5, long x6, long x7, long mode);

        [DllImport(Libc, EntryPoint = "readlinkat", SetLastError = true)]
        private static extern IntPtr ReadLinkAtNative(int dirfd, string path, byte[] buffer, IntPtr size);

        [DllImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
        private static extern int FChmodNative(int fd, uint mode);

        [DllImport(Libc, EntryPoint = "fchown", SetLastError = true)]
        private static extern int FChownNative(int fd, uint owner, uint group);

        [DllImport(Libc, EntryPoint = "fsync", SetLastError = true)]
        private static extern int FSyncNative(int fd);

        [DllImport(Libc, EntryPoint = "syncfs", SetLastError = true)]
        private static extern int SyncFsNative(int fd);

        [DllImport(Libc, EntryPoint = "renameat", SetLastError = true)]
        private static extern int RenameAtNative(int olddirfd, string oldpath, int newdirfd, string newpath);

        [DllImport(Libc, EntryPoint = "linkat", SetLastError = true)]
        private static extern int LinkAtNative(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

        [DllImport(Libc, EntryPoint = "unlinkat", SetLastError = true)]
        private static extern int UnlinkAtNative(int dirfd, string path, int flags);

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

        public static void FChmod(SafeHandle file, uint mode) => Check(WithFd(file, fd => FChmodNative(fd, mode & 0xFFF)), "Cannot set the permissions of an open file");

        public static void FChown(SafeHandle file, uint uid, uint gid) => Check(WithFd(file, fd => FChownNative(fd, uid, gid)), "Cannot set the owner of an open file");

        public static void FSync(SafeHandle file) => Check(WithFd(file, FSyncNative), "Cannot flush to disk");

        /// <summary>syncfs(2), Linux only: every dirty page and inode of the filesystem holding <paramref name="onFileSystem"/> written, and the device flushed.</summary>
        public static void SyncFs(SafeHandle onFileSystem) => Check(WithFd(onFileSystem, SyncFsNative), "Cannot flush the filesystem to disk");

        public static void RenameAt(SafeHandle directory, string from, string to) =>
            Check(WithFd(directory, fd => RenameAtNative(fd, from, fd, to)), $"Cannot rename '{from}' to '{to}'");

        /// <summary>linkat(2) within one folder, not following a symlink; fails (EEXIST) when <paramref name="to"/> exists.</summary>
        public static void LinkAt(SafeHandle directory, string from, string to) =>
            Check(WithFd(directory, fd => LinkAtNative(fd, from, fd, to, 0)), $"Cannot link '{from}' to '{to}'");


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

        /// <summary>unlinkat(2) of a file (a symlink itself, never its target); false when it did not exist.</summary>
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
    }
}
