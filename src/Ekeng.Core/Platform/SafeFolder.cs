using Ekeng.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>
    /// A folder resolved ONCE and then worked on only through its handle: the lock (flock on this fd), the reads and the
    /// atomic writes all happen relative to it (openat, fstatat, renameat, linkat, unlinkat), so a folder renamed away
    /// and replaced after <see cref="Open"/> is never looked up again by name.
    /// <para>
    /// Linux and macOS: the path is walked from '/' one component at a time with O_NOFOLLOW. A symbolic link met on the
    /// way is read (on its own handle) and followed only under one rule, the one that keeps root from writing where the
    /// folder's owner could not: the first folder or link on the way that is not root's names the <em>owner</em>; from
    /// there on every folder and link must be that owner's or root's, and the folder reached must be the owner's. So
    /// a user's link to a folder of theirs on another disk is followed; a user's link (or folder) leading into root's
    /// or another user's folder is refused with <c>UnsafeFolder</c> (SecurityError) and nothing there is read or
    /// written. Links that root owns (/lib64, /var/run, macOS /tmp) are followed like folders.
    /// </para>
    /// Windows: the path is kept as given (reparse points of the files themselves are refused by the readers and writers).
    /// </summary>
    public sealed class SafeFolder : IDisposable
    {
        private const int MaxLinks = 40;

        private SafeFileHandle? _handle;

        private SafeFolder(string path, SafeFileHandle? handle, uint owner, uint group)
        {
            Path = path;
            _handle = handle;
            Owner = owner;
            Group = group;
        }

        /// <summary>The folder's full path as given (for messages; never opened again).</summary>
        public string Path { get; }

        /// <summary>The folder's owner and group (from fstat of its handle); 0 where there is no handle.</summary>
        internal uint Owner { get; }

        internal uint Group { get; }

        /// <summary>The folder's fd (O_RDONLY|O_DIRECTORY); null on Windows and where the file calls are not known.</summary>
        internal SafeFileHandle? Handle => _handle;

        /// <summary>
        /// Resolves <paramref name="path"/> once. DirectoryNotFoundException when it (or a folder on the way) does not
        /// exist, EkengException UnsafeFolder when the way crosses owners (see the class), IOException otherwise.
        /// </summary>
        public static SafeFolder Open(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (HostOs.IsWindows || !UnixNative.HasFileHandles)
            {
                if (!Directory.Exists(full))
                {
                    throw new DirectoryNotFoundException($"The folder '{full}' does not exist.");
                }

                return new SafeFolder(full, null, 0, 0);
            }

            return Walk(full);
        }

        /// <summary>The full path of <paramref name="name"/> in this folder (for messages).</summary>
        public string Combine(string name) => System.IO.Path.Combine(Path, name);

        /// <summary>Takes this folder's lock (flock on its fd); FolderBusy after <paramref name="timeout"/>.</summary>
        public FolderLock Lock(TimeSpan? timeout = null) => FolderLock.Acquire(this, timeout);

        /// <summary>The content of <paramref name="name"/> (bounded, never through a link); FileNotFoundException when absent.</summary>
        public byte[] ReadAllBytes(string name, int maxBytes = SafeFile.MaxBytes)
        {
            using (FileStream stream = OpenRegular(name))
            {
                return SafeFile.ReadBounded(stream, Combine(name), maxBytes);
            }
        }

        /// <summary>Opens the regular file <paramref name="name"/> of this folder for reading: no link, no FIFO wait.</summary>
        public FileStream OpenRegular(string name)
        {
            CheckName(name);
            SafeFileHandle? dir = _handle;
            if (dir is null)
            {
                return SafeFile.OpenManaged(Combine(name), followLinks: false);
            }

            SafeFileHandle handle;
            try
            {
                handle = UnixNative.OpenAt(dir, name, UnixNative.O_RDONLY | UnixNative.O_NONBLOCK | UnixNative.O_CLOEXEC | UnixNative.O_NOFOLLOW);
            }
            catch (UnixIOException e) when (e.Errno == UnixNative.ENOENT)
            {
                throw new FileNotFoundException($"'{Combine(name)}' does not exist.", Combine(name), e);
            }
            catch (UnixIOException e) when (e.Errno == UnixNative.ELOOP)
            {
                throw SafeFile.Unsafe(Combine(name), "a symbolic link");
            }

            try
            {
                FileStatus status = UnixNative.FStat(handle);
                if (!status.IsRegularFile)
                {
                    throw SafeFile.Unsafe(Combine(name), status.TypeName);
                }

                return new FileStream(handle, FileAccess.Read, 1);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>Replaces <paramref name="name"/> atomically (see <see cref="AtomicFile"/>); returns the backup path or null.</summary>
        public string? Write(string name, byte[] content, uint newFileMode) => Write(name, content, newFileMode, null);

        /// <summary>The same, made durable with the other writes of <paramref name="groupSync"/> (Linux) instead of by its own fsyncs.</summary>
        internal string? Write(string name, byte[] content, uint newFileMode, GroupSync? groupSync) =>
            AtomicFile.Write(this, name, s => s.Write(content, 0, content.Length), newFileMode, keepBackup: true, replace: true, groupSync: groupSync);

        /// <summary>
        /// Opens the sub-folder <paramref name="name"/>, creating it first (mode <paramref name="mode"/>, owned by this
        /// folder's owner and group) when it does not exist; the sub-folder is then resolved by <see cref="Open"/>'s rule.
        /// </summary>
        public SafeFolder OpenOrCreateSubfolder(string name, uint mode)
        {
            CheckName(name);
            SafeFileHandle? dir = _handle;
            if (dir is null)
            {
                Directory.CreateDirectory(Combine(name));
                return Open(Combine(name));
            }

            if (UnixNative.MkDirAt(dir, name, mode))
            {
                using (SafeFileHandle created = UnixNative.OpenAt(dir, name, UnixNative.O_RDONLY | UnixNative.O_DIRECTORY | UnixNative.O_NOFOLLOW | UnixNative.O_CLOEXEC))
                {
                    if (UnixNative.IsRoot())
                    {
                        UnixNative.FChown(created, Owner, Group);
                    }

                    UnixNative.FChmod(created, mode);
                }
            }

            return Open(Combine(name));
        }

        /// <summary>Removes the file <paramref name="name"/> of this folder (never through a link); false when it was not there.</summary>
        public bool DeleteFile(string name)
        {
            CheckName(name);
            SafeFileHandle? dir = _handle;
            if (dir is null)
            {
                if (!File.Exists(Combine(name)))
                {
                    return false;
                }

                File.Delete(Combine(name));
                return true;
            }

            return UnixNative.UnlinkAt(dir, name);
        }

        public void Dispose()
        {
            _handle?.Dispose();
            _handle = null;
        }

        internal static void CheckName(string name)
        {
            if (string.IsNullOrEmpty(name) || name == "." || name == ".." || name.IndexOf('/') >= 0 || name.IndexOf('\0') >= 0)
            {
                throw new ArgumentException($"'{name}' is not a file name.", nameof(name));
            }
        }

        private static SafeFolder Walk(string full)
        {
            bool linux = HostOs.IsLinux;

            // Linux: O_PATH opens the name itself (folder or link) without following it and without needing read access.
            int stepFlags = (linux ? UnixNative.O_PATH_LINUX : UnixNative.O_RDONLY | UnixNative.O_DIRECTORY) | UnixNative.O_NOFOLLOW | UnixNative.O_CLOEXEC;
            var stack = new List<SafeFileHandle>();
            var names = new List<string>();
            var todo = new LinkedList<string>(Split(full));
            uint owner = 0;
            string? ownerAt = null;
            int links = 0;
            try
            {
                stack.Add(UnixNative.OpenAt(null, "/", stepFlags | UnixNative.O_DIRECTORY));
                while (todo.First != null)
                {
                    string name = todo.First.Value;
                    todo.RemoveFirst();
                    if (name == "..")
                    {
                        if (stack.Count > 1)
                        {
                            stack[stack.Count - 1].Dispose();
                            stack.RemoveAt(stack.Count - 1);
                            names.RemoveAt(names.Count - 1);
                        }

                        continue;
                    }

                    SafeFileHandle top = stack[stack.Count - 1];
                    string here = "/" + string.Join("/", names) + (names.Count > 0 ? "/" : string.Empty) + name;
                    SafeFileHandle? next = null;
                    FileStatus status;
                    try
                    {
                        next = UnixNative.OpenAt(top, name, stepFlags);
                        status = UnixNative.FStat(next);
                    }
                    catch (UnixIOException e) when (e.Errno == UnixNative.ENOENT)
                    {
                        throw new DirectoryNotFoundException($"The folder '{full}' does not exist ('{here}' is missing).");
                    }
                    catch (UnixIOException e) when (!linux && (e.Errno == UnixNative.ELOOP || e.Errno == UnixNative.ENOTDIR))
                    {
                        status = UnixNative.FStatAt(top, name) ?? throw new DirectoryNotFoundException($"The folder '{full}' does not exist ('{here}' is missing).");
                    }

                    try
                    {
                        StepInto(full, here, status, ref owner, ref ownerAt);
                        if (status.IsDirectory && next != null)
                        {
                            stack.Add(next);
                            names.Add(name);
                            next = null;
                            continue;
                        }

                        if (!status.IsSymbolicLink)
                        {
                            throw new IOException($"'{here}' is {status.TypeName}, not a folder: '{full}' cannot be used.");
                        }

                        string target = ReadLink(top, next, name, status, here);
                        if (++links > MaxLinks)
                        {
                            throw new IOException($"'{full}' leads through more than {MaxLinks} symbolic links.");
                        }

                        List<string> parts = Split(target);
                        for (int i = parts.Count - 1; i >= 0; i--)
                        {
                            todo.AddFirst(parts[i]);
                        }

                        if (target.StartsWith("/", StringComparison.Ordinal))
                        {
                            while (stack.Count > 1)
                            {
                                stack[stack.Count - 1].Dispose();
                                stack.RemoveAt(stack.Count - 1);
                                names.RemoveAt(names.Count - 1);
                            }
                        }
                    }
                    finally
                    {
                        next?.Dispose();
                    }
                }

                SafeFileHandle last = stack[stack.Count - 1];
                SafeFileHandle folder = UnixNative.OpenAt(last, ".", UnixNative.O_RDONLY | UnixNative.O_DIRECTORY | UnixNative.O_CLOEXEC);
                try
                {
                    FileStatus status = UnixNative.FStat(folder);
                    if (owner != 0 && status.Uid != owner)
                    {
                        throw Unsafe(full, $"the folder it leads to belongs to uid {status.Uid}, but '{ownerAt}' to uid {owner}: that user could not write there");
                    }

                    return new SafeFolder(full, folder, status.Uid, status.Gid);
                }
                catch
                {
                    folder.Dispose();
                    throw;
                }
            }
            catch (UnixIOException e)
            {
                throw new IOException($"Cannot open the folder '{full}': {e.Message}", e);
            }
            finally
            {
                foreach (SafeFileHandle handle in stack)
                {
                    handle.Dispose();
                }
            }
        }

        /// <summary>The rule for one folder or link on the way (see the class).</summary>
        private static void StepInto(string full, string here, FileStatus status, ref uint owner, ref string? ownerAt)
        {
            if (status.Uid == 0 || status.Uid == owner)
            {
                return;
            }

            if (owner == 0)
            {
                owner = status.Uid;
                ownerAt = here;
                return;
            }

            throw Unsafe(full, $"'{here}' belongs to uid {status.Uid}, but '{ownerAt}' before it to uid {owner}");
        }

        private static string ReadLink(SafeFileHandle folder, SafeFileHandle? link, string name, FileStatus status, string here)
        {
            if (link != null && HostOs.IsLinux)
            {
                // The O_PATH handle of the link itself: the text read is that of the link whose owner was checked.
                return UnixNative.ReadLinkAt(link, string.Empty);
            }

            // macOS: read by name, then make sure the name still holds the link that was checked (same inode).
            string target = UnixNative.ReadLinkAt(folder, name);
            FileStatus? again = UnixNative.FStatAt(folder, name);
            if (again is null || again.Value.Inode != status.Inode || again.Value.Device != status.Device)
            {
                throw new IOException($"'{here}' changed while it was read.");
            }

            return target;
        }

        private static List<string> Split(string path)
        {
            var parts = new List<string>();
            foreach (string part in path.Split('/'))
            {
                if (part.Length > 0 && part != ".")
                {
                    parts.Add(part);
                }
            }

            return parts;
        }

        private static EkengException Unsafe(string full, string why) =>
            new EkengException(FileErrors.UnsafeFolder, $"'{full}' was not used: {why}. This module may run as root over a user's files, so it writes (and reads) only where the folder's owner could have written themselves; nothing was read or written there.")
            {
                TargetObject = full,
            };
    }
}
