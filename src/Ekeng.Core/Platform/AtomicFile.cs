using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>
    /// Replaces a file's content without ever leaving it half written, and safely when root writes into a folder a
    /// user owns. On Linux and macOS everything happens on handles: the folder is opened once; the target is opened
    /// without following a symbolic link and must be a regular file; the new content goes to a temporary file created
    /// with O_CREAT|O_EXCL|O_NOFOLLOW, written, given its permission bits and (for root) its owner through its fd, and
    /// fsync'ed; the old content stays as the backup (a hard link, or a copy made from the open handle); the temporary
    /// file is renamed into place and the folder fsync'ed. Nothing is ever chmod'ed, chown'ed or reopened by name.
    /// Owner and mode: those of the file replaced; a new file gets the folder's owner and <c>newFileMode</c>.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>0600, as NSS creates pkcs11.txt.</summary>
        public const uint PrivateMode = 0x180;

        /// <summary>0644: a policies.json every user's Firefox can read, whatever the umask.</summary>
        public const uint WorldReadableMode = 0x1A4;

        /// <summary>The backup file name of <paramref name="path"/>.</summary>
        public static string BackupPath(string path) => path + ".bak";

        /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; returns the backup path, or null for a new file.</summary>
        public static string? Write(string path, byte[] content) => Write(path, content, PrivateMode);

        /// <summary>Writes <paramref name="content"/>; a new file gets <paramref name="newFileMode"/> (Unix) and the folder's owner (root).</summary>
        public static string? Write(string path, byte[] content, uint newFileMode)
        {
            string full = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(full) ?? ".";
            string name = Path.GetFileName(full);
            string temp = "." + name + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp";
            if (HostOs.IsWindows)
            {
                return WriteWindows(full, Path.Combine(directory, temp), content);
            }

            if (!UnixNative.HasFileHandles)
            {
                throw new IOException($"Cannot write '{path}' safely on this platform ({RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}): its file calls are not known here.");
            }

            return WriteUnix(full, directory, name, temp, content, newFileMode);
        }

        private static string? WriteUnix(string full, string directory, string name, string temp, byte[] content, uint newFileMode)
        {
            using (SafeFileHandle dir = UnixNative.OpenAt(null, directory, UnixNative.O_RDONLY | UnixNative.O_DIRECTORY | UnixNative.O_CLOEXEC))
            {
                FileStatus folder = UnixNative.FStat(dir);
                using (SafeFileHandle? existing = OpenExisting(dir, name, full))
                {
                    FileStatus? old = existing is null ? (FileStatus?)null : UnixNative.FStat(existing);
                    if (old != null && !old.Value.IsRegularFile)
                    {
                        throw SafeFile.Unsafe(full, old.Value.TypeName);
                    }

                    bool root = UnixNative.IsRoot();
                    uint mode = old?.Permissions ?? newFileMode;
                    uint uid = old?.Uid ?? folder.Uid;
                    uint gid = old?.Gid ?? folder.Gid;
                    bool created = false;
                    try
                    {
                        int flags = UnixNative.O_WRONLY | UnixNative.O_CREAT | UnixNative.O_EXCL | UnixNative.O_NOFOLLOW | UnixNative.O_CLOEXEC;
                        using (SafeFileHandle file = UnixNative.OpenAt(dir, temp, flags, PrivateMode))
                        {
                            created = true;
                            TestHooks.AfterTempCreated?.Invoke(Path.Combine(directory, temp));
                            if (root)
                            {
                                UnixNative.FChown(file, uid, gid);
                            }

                            // After fchown, which clears set-id bits.
                            UnixNative.FChmod(file, mode);
                            using (var stream = new FileStream(file, FileAccess.Write, 1))
                            {
                                stream.Write(content, 0, content.Length);
                                stream.Flush(true); // fsync, before the stream closes the fd
                            }
                        }

                        string? backup = null;
                        if (existing != null)
                        {
                            backup = BackupPath(full);
                            MakeBackup(dir, existing, old!.Value, name, Path.GetFileName(backup), root);
                        }

                        UnixNative.RenameAt(dir, temp, name);
                        created = false;
                        UnixNative.FSync(dir);
                        return backup;
                    }
                    finally
                    {
                        if (created)
                        {
                            try
                            {
                                UnixNative.UnlinkAt(dir, temp);
                            }
                            catch (IOException)
                            {
                                // A leftover temporary file never replaces the original; nothing more to do.
                            }
                        }
                    }
                }
            }
        }

        /// <summary>The target opened without following a symlink or blocking; null when it does not exist.</summary>
        private static SafeFileHandle? OpenExisting(SafeFileHandle dir, string name, string full)
        {
            try
            {
                return UnixNative.OpenAt(dir, name, UnixNative.O_RDONLY | UnixNative.O_NOFOLLOW | UnixNative.O_NONBLOCK | UnixNative.O_CLOEXEC);
            }
            catch (UnixIOException e) when (e.Errno == UnixNative.ENOENT)
            {
                return null;
            }
            catch (UnixIOException e) when (e.Errno == UnixNative.ELOOP)
            {
                throw SafeFile.Unsafe(full, "a symbolic link");
            }
        }

        /// <summary>
        /// The previous content as &lt;name&gt;.bak: a hard link to the file being replaced (same inode, owner and mode),
        /// or where the file system has no hard links a copy written from the open handle into an O_EXCL file.
        /// </summary>
        private static void MakeBackup(SafeFileHandle dir, SafeFileHandle existing, FileStatus old, string name, string backupName, bool root)
        {
            UnixNative.UnlinkAt(dir, backupName);
            try
            {
                UnixNative.LinkAt(dir, name, backupName);
                return;
            }
            catch (UnixIOException e) when (e.Errno != UnixNative.EEXIST)
            {
                // No hard links here (or the name changed under us): copy from the handle.
            }

            int flags = UnixNative.O_WRONLY | UnixNative.O_CREAT | UnixNative.O_EXCL | UnixNative.O_NOFOLLOW | UnixNative.O_CLOEXEC;
            using (SafeFileHandle copy = UnixNative.OpenAt(dir, backupName, flags, PrivateMode))
            {
                if (root)
                {
                    UnixNative.FChown(copy, old.Uid, old.Gid);
                }

                UnixNative.FChmod(copy, old.Permissions);
                using (var source = new FileStream(existing, FileAccess.Read, 1))
                using (var target = new FileStream(copy, FileAccess.Write, 1))
                {
                    source.Position = 0;
                    byte[] bytes = SafeFile.ReadBounded(source, backupName, SafeFile.MaxBytes);
                    target.Write(bytes, 0, bytes.Length);
                    target.Flush(true);
                }
            }
        }

        private static string? WriteWindows(string path, string temp, byte[] content)
        {
            // Windows: the new file inherits the folder's ACL; File.Replace keeps the original's ACL and attributes.
            FileAttributes? attributes = File.Exists(path) ? File.GetAttributes(path) : (FileAttributes?)null;
            if (attributes is FileAttributes a && (a & FileAttributes.ReparsePoint) != 0)
            {
                throw SafeFile.Unsafe(path, "a symbolic link or reparse point");
            }

            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }

                if (attributes is null)
                {
                    File.Move(temp, path);
                    return null;
                }

                string backup = BackupPath(path);
                File.Replace(temp, path, backup, true);
                return backup;
            }
            finally
            {
                try
                {
                    File.Delete(temp);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // A leftover temporary file never replaces the original; nothing more to do.
                }
            }
        }
    }
}
