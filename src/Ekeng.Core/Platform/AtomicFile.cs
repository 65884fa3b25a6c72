using Ekeng.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>
    /// Replaces a file's content without ever leaving it half written, and safely when root writes into a folder a
    /// user owns. On Linux and macOS everything happens on handles, relative to a <see cref="SafeFolder"/> resolved once
    /// (no link followed into a folder the owner could not write): the target is opened without following a symbolic
    /// link and must be a regular file; the new content goes to a temporary file created with
    /// O_CREAT|O_EXCL|O_NOFOLLOW, given its permission bits and (for root) its owner through its fd, written and fsync'ed;
    /// the old content stays as the backup (a hard link, or a copy made from the open handle); the temporary file is
    /// renamed into place only if its name still holds the inode written (checked again after the rename: a temporary
    /// file swapped for a link is never left as the target), and the folder is fsync'ed. Nothing is ever chmod'ed,
    /// chown'ed or reopened by name. Owner and mode: those of the file replaced; a new file gets the folder's owner and
    /// <c>newFileMode</c>.
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
        public static string? Write(string path, byte[] content, uint newFileMode) => Write(path, content, newFileMode, null);

        /// <summary>The same write, its steps shown to <paramref name="observer"/> (tests; null in production).</summary>
        internal static string? Write(string path, byte[] content, uint newFileMode, IAtomicWriteObserver? observer)
        {
            string full = Path.GetFullPath(path);
            using (SafeFolder folder = SafeFolder.Open(Path.GetDirectoryName(full) ?? "."))
            {
                return Write(folder, Path.GetFileName(full), s => s.Write(content, 0, content.Length), newFileMode, keepBackup: true, replace: true, observer);
            }
        }

        /// <summary>
        /// A document a command writes for the user (a receipt, a signature): its folder resolved once, the file world
        /// readable (0644; a replaced one keeps its owner and mode), no backup, written whole or not at all. An existing
        /// file without <paramref name="replace"/> is <paramref name="exists"/>'s error; an I/O failure
        /// <paramref name="failed"/>'s.
        /// </summary>
        internal static void WriteDocument(string path, Action<Stream> write, bool replace, Func<string, Exception> exists, Func<string, Exception, Exception> failed)
        {
            string full = Path.GetFullPath(path);
            try
            {
                using (SafeFolder folder = SafeFolder.Open(Path.GetDirectoryName(full) ?? "."))
                {
                    Write(folder, Path.GetFileName(full), write, WorldReadableMode, keepBackup: false, replace: replace);
                }
            }
            catch (TargetExistsException)
            {
                // Without replace an existing file is never replaced, also one that appeared while this one was written.
                throw exists(full);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw failed(full, e);
            }
        }

        /// <summary>
        /// Writes <paramref name="name"/> in <paramref name="folder"/> with what <paramref name="write"/> puts in the
        /// stream. <paramref name="replace"/> false: an existing file is kept (TargetExistsException, nothing written).
        /// <paramref name="keepBackup"/>: the replaced content stays as name.bak. Whatever fails, neither a half-written
        /// target nor the temporary file is left. <paramref name="observer"/> (tests) sees the steps on Linux and macOS.
        /// <paramref name="groupSync"/> (many writes at once; only ever made where <see cref="GroupSync.Supported"/>): the file
        /// before its rename, and the rename after, are made durable by the group's shared syncfs instead of the file's and
        /// the folder's own fsync.
        /// </summary>
        internal static string? Write(SafeFolder folder, string name, Action<Stream> write, uint newFileMode, bool keepBackup, bool replace, IAtomicWriteObserver? observer = null, GroupSync? groupSync = null)
        {
            SafeFolder.CheckName(name);
            string full = folder.Combine(name);
            string temp = "." + name + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp";
            if (HostOs.IsWindows)
            {
                return WriteWindows(full, folder.Combine(temp), write, keepBackup, replace);
            }

            SafeFileHandle? dir = folder.Handle;
            if (dir is null)
            {
                throw new IOException($"Cannot write '{full}' safely on this platform ({RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}): its file calls are not known here.");
            }

            return WriteUnix(folder, dir, full, name, temp, write, newFileMode, keepBackup, replace, observer, groupSync);
        }

        private static string? WriteUnix(SafeFolder folder, SafeFileHandle dir, string full, string name, string temp, Action<Stream> write, uint newFileMode, bool keepBackup, bool replace, IAtomicWriteObserver? observer, GroupSync? groupSync)
        {
            if (!replace && UnixNative.FStatAt(dir, name) != null)
            {
                // Whatever holds the name (a file, a link): it is kept.
                throw new TargetExistsException(full);
            }

            using (SafeFileHandle? existing = OpenExisting(dir, name, full))
            {
                if (existing != null && !replace)
                {
                    throw new TargetExistsException(full);
                }

                FileStatus? old = existing is null ? (FileStatus?)null : UnixNative.FStat(existing);
                if (old != null && !old.Value.IsRegularFile)
                {
                    throw SafeFile.Unsafe(full, old.Value.TypeName);
                }

                bool root = UnixNative.IsRoot();
                uint mode = old?.Permissions ?? newFileMode;
                uint uid = old?.Uid ?? folder.Owner;
                uint gid = old?.Gid ?? folder.Group;
                bool created = false;
                try
                {
                    FileStatus written;
                    int flags = UnixNative.O_WRONLY | UnixNative.O_CREAT | UnixNative.O_EXCL | UnixNative.O_NOFOLLOW | UnixNative.O_CLOEXEC;
                    using (SafeFileHandle file = UnixNative.OpenAt(dir, temp, flags, PrivateMode))
                    {
                        created = true;
                        observer?.TemporaryCreated(Path.Combine(folder.Path, temp));
                        if (root)
                        {
                            UnixNative.FChown(file, uid, gid);
                        }

                        // After fchown, which clears set-id bits.
                        UnixNative.FChmod(file, mode);
                        written = UnixNative.FStat(file);
                        using (var stream = new FileStream(file, FileAccess.Write, 1))
                        {
                            write(stream);
                            stream.Flush(groupSync is null); // fsync, before the stream closes the fd; grouped: below
                        }
                    }

                    // Grouped: the file's data is on disk before its rename all the same (a syncfs started after it was written).
                    groupSync?.Sync(dir, written.Device);

                    string? backup = null;
                    if (existing != null && keepBackup)
                    {
                        backup = BackupPath(full);
                        MakeBackup(dir, existing, old!.Value, name, Path.GetFileName(backup), root);
                    }

                    if (!Holds(dir, temp, written))
                    {
                        throw Replaced(full, temp);
                    }

                    observer?.BeforeRename(Path.Combine(folder.Path, temp));

                    if (replace)
                    {
                        UnixNative.RenameAt(dir, temp, name);
                        created = false;
                    }
                    else
                    {
                        PlaceNew(dir, temp, name, full);
                    }

                    if (!Holds(dir, name, written))
                    {
                        // The temporary name was swapped between the check and the rename: never leave that as the target.
                        Restore(dir, name, backup is null ? null : Path.GetFileName(backup));
                        throw Replaced(full, temp);
                    }

                    if (groupSync is null)
                    {
                        UnixNative.FSync(dir);
                    }
                    else
                    {
                        groupSync.Sync(dir, written.Device);
                    }

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

        /// <summary>True when <paramref name="name"/> in the folder is (still) the inode <paramref name="written"/>.</summary>
        private static bool Holds(SafeFileHandle dir, string name, FileStatus written)
        {
            FileStatus? now = UnixNative.FStatAt(dir, name);
            return now is FileStatus n && n.IsRegularFile && n.Inode == written.Inode && n.Device == written.Device;
        }

        /// <summary>
        /// Gives the temporary file the name <paramref name="name"/> only if nothing has that name: linkat (which fails
        /// with EEXIST), then the temporary name is removed. Where the file system has no hard links (FAT, some network
        /// shares): a check, then renameat.
        /// </summary>
        private static void PlaceNew(SafeFileHandle dir, string temp, string name, string full)
        {
            try
            {
                UnixNative.LinkAt(dir, temp, name);
                UnixNative.UnlinkAt(dir, temp);
                return;
            }
            catch (UnixIOException e) when (e.Errno == UnixNative.EEXIST)
            {
                throw new TargetExistsException(full);
            }
            catch (UnixIOException e) when (e.Errno == UnixNative.EPERM || e.Errno == UnixNative.EOPNOTSUPP || e.Errno == UnixNative.EMLINK || e.Errno == UnixNative.EXDEV)
            {
                // No hard links here.
            }

            if (UnixNative.FStatAt(dir, name) != null)
            {
                throw new TargetExistsException(full);
            }

            UnixNative.RenameAt(dir, temp, name);
        }

        /// <summary>Best effort after a swap: the link (never its target) goes, and the previous content comes back.</summary>
        private static void Restore(SafeFileHandle dir, string name, string? backupName)
        {
            try
            {
                FileStatus? now = UnixNative.FStatAt(dir, name);
                if (now != null && !now.Value.IsRegularFile && !now.Value.IsDirectory)
                {
                    UnixNative.UnlinkAt(dir, name);
                }

                if (backupName != null)
                {
                    UnixNative.LinkAt(dir, backupName, name);
                }
            }
            catch (IOException)
            {
                // The folder's owner keeps changing it; the error below says so.
            }
        }

        private static EkengException Replaced(string full, string temp) =>
            new EkengException(FileErrors.UnsafeFile, $"'{full}' was not replaced: its temporary file '{temp}' was swapped for something else while it was written, so nothing was put in place through it and the previous content was kept.")
            {
                RecommendedAction = "Find out what else changes this folder (another program, or its owner), then run the command again.",
                TargetObject = full,
            };

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

        private static string? WriteWindows(string path, string temp, Action<Stream> write, bool keepBackup, bool replace)
        {
            // Windows: the new file inherits the folder's ACL; File.Replace keeps the original's ACL and attributes.
            FileAttributes? attributes = File.Exists(path) ? File.GetAttributes(path) : (FileAttributes?)null;
            if (attributes is FileAttributes a && (a & FileAttributes.ReparsePoint) != 0)
            {
                throw SafeFile.Unsafe(path, "a symbolic link or reparse point");
            }

            if (attributes != null && !replace)
            {
                throw new TargetExistsException(path);
            }

            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    write(stream);
                    stream.Flush(true);
                }

                if (attributes is null)
                {
                    try
                    {
                        File.Move(temp, path);
                    }
                    catch (IOException) when (!replace && File.Exists(path))
                    {
                        throw new TargetExistsException(path);
                    }

                    return null;
                }

                string? backup = keepBackup ? BackupPath(path) : null;
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
