using Ekeng.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>
    /// The one way the Firefox services read a file in a user's folder (profiles.ini, pkcs11.txt, policies.json, the
    /// profile lock): we may run as root, so its folder is resolved once by the owner rule of <see cref="SafeFolder"/>,
    /// the file is opened on that folder's handle without following a symbolic link and without blocking
    /// (a FIFO must not hang the run), checked on the open handle (a regular file, at most <see cref="MaxBytes"/>), and
    /// read from that handle, never reopened by name. Refusals are EkengExceptions: UnsafeFile, FileTooLarge.
    /// On Windows: no reparse point (symlink, junction), a disk file, the same bound.
    /// </summary>
    public static class SafeFile
    {
        /// <summary>4 MiB: far beyond any real profiles.ini, pkcs11.txt or policies.json.</summary>
        public const int MaxBytes = 4 * 1024 * 1024;

        private static bool Windows => HostOs.IsWindows;

        /// <summary>
        /// The content of <paramref name="path"/>. FileNotFoundException when it does not exist, EkengException
        /// (UnsafeFile, FileTooLarge) when it must not be read, IOException for other failures.
        /// </summary>
        public static byte[] ReadAllBytes(string path, int maxBytes = MaxBytes)
        {
            using (FileStream stream = OpenRegular(path, followLinks: false))
            {
                return ReadBounded(stream, path, maxBytes);
            }
        }

        /// <summary>The folder of <paramref name="path"/>, resolved once (<see cref="SafeFolder"/>); FileNotFoundException when it does not exist.</summary>
        private static SafeFolder OpenFolderOf(string path, out string name)
        {
            string full = Path.GetFullPath(path);
            name = Path.GetFileName(full);
            try
            {
                return SafeFolder.Open(Path.GetDirectoryName(full) ?? ".");
            }
            catch (DirectoryNotFoundException e)
            {
                throw new FileNotFoundException($"'{path}' does not exist.", path, e);
            }
        }

        /// <summary>
        /// Opens a regular file for reading, without blocking on a FIFO. Without <paramref name="followLinks"/> (a file in
        /// a user's folder) its folder is a <see cref="SafeFolder"/> and the file itself is never a link; with it (a
        /// library's path, which may be a link such as libfoo.so -> libfoo.so.1) links are followed.
        /// </summary>
        public static FileStream OpenRegular(string path, bool followLinks)
        {
            if (Windows || !UnixNative.HasFileHandles)
            {
                return OpenManaged(path, followLinks);
            }

            if (!followLinks)
            {
                // A file in a user's folder: its folder resolved by the owner rule, the file itself opened on that handle.
                using (SafeFolder folder = OpenFolderOf(path, out string name))
                {
                    return folder.OpenRegular(name);
                }
            }

            SafeFileHandle handle;
            try
            {
                int flags = UnixNative.O_RDONLY | UnixNative.O_NONBLOCK | UnixNative.O_CLOEXEC;
                handle = UnixNative.OpenAt(null, path, flags);
            }
            catch (UnixIOException e) when (e.Errno == UnixNative.ENOENT)
            {
                throw new FileNotFoundException($"'{path}' does not exist.", path, e);
            }

            try
            {
                FileStatus status = UnixNative.FStat(handle);
                if (!status.IsRegularFile)
                {
                    throw Unsafe(path, status.TypeName);
                }

                return new FileStream(handle, FileAccess.Read, 1);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>Reads at most <paramref name="maxBytes"/> from the stream; more fails with FileTooLarge.</summary>
        internal static byte[] ReadBounded(FileStream stream, string path, int maxBytes)
        {
            long length = stream.Length;
            if (length > maxBytes)
            {
                throw TooLarge(path, maxBytes);
            }

            // The file may grow between the length and the read: read one byte more than the bound to see it.
            var buffer = new byte[Math.Min((long)maxBytes + 1, Math.Max(length, 4096) + 1)];
            int total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (total > maxBytes)
                    {
                        throw TooLarge(path, maxBytes);
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)maxBytes + 1, buffer.Length * 2L));
                }

                int read = stream.Read(buffer, total, buffer.Length - total);
                if (read <= 0)
                {
                    break;
                }

                total += read;
            }

            if (total > maxBytes)
            {
                throw TooLarge(path, maxBytes);
            }

            Array.Resize(ref buffer, total);
            return buffer;
        }

        internal static FileStream OpenManaged(string path, bool followLinks)
        {
            // No O_NOFOLLOW on Windows: a reparse point (symlink, junction, mount point) is refused by its attributes.
            FileAttributes attributes = File.GetAttributes(path);
            if (!followLinks && (attributes & FileAttributes.ReparsePoint) != 0)
            {
                throw Unsafe(path, "a symbolic link or reparse point");
            }

            if ((attributes & FileAttributes.Directory) != 0)
            {
                throw Unsafe(path, "a folder");
            }

            if ((attributes & FileAttributes.Device) != 0)
            {
                throw Unsafe(path, "a device");
            }

            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }

        internal static EkengException Unsafe(string path, string what)
        {
            var error = new EkengException(FileErrors.UnsafeFile, $"'{path}' is {what}, not a regular file: it was not read and will not be written. This module may run as root over a user's files, so it never follows a link or reads a special file there.")
            {
                RecommendedAction = "Replace it with a regular file (or delete it: Firefox recreates pkcs11.txt, and profiles.ini lists the profiles), then run the command again.",
                TargetObject = path,
            };
            return error;
        }

        private static EkengException TooLarge(string path, int maxBytes)
        {
            var error = new EkengException(FileErrors.FileTooLarge, $"'{path}' is larger than {maxBytes / (1024 * 1024)} MiB, far beyond any real Firefox file: it was not read.")
            {
                TargetObject = path,
            };
            return error;
        }
    }
}
