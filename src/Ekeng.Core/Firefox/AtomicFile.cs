using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Replaces a file's content without ever leaving it half written: the new content goes to a temporary file in
    /// the same folder (same permissions and, for root, same owner as the original), is flushed to disk, then takes
    /// the original's place in one rename; the previous content stays beside it as a backup.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>The backup file name of <paramref name="path"/>.</summary>
        public static string BackupPath(string path) => path + ".bak";

        /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; returns the backup path, or null for a new file.</summary>
        public static string? Write(string path, byte[] content)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            bool exists = File.Exists(path);
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            bool statKnown = exists && !windows && UnixNative.Stat(path) != null;
            try
            {
                // Permission bits (and, for root, the owner) come from the original: by chmod/chown where stat's layout is known (Linux), else
                // by copying the original first (a copy carries its permission bits) and replacing its content.
                bool copied = exists && !statKnown;
                if (copied)
                {
                    File.Copy(path, temp, false);
                }

                using (var stream = new FileStream(temp, copied ? FileMode.Truncate : FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }

                if (!exists)
                {
                    File.Move(temp, path);
                    return null;
                }

                if (statKnown)
                {
                    UnixNative.CopyModeAndOwner(path, temp);
                }
                else if (!windows)
                {
                    UnixNative.CopyOwner(path, temp);
                }

                string backup = BackupPath(path);
                File.Replace(temp, path, backup, true);
                return backup;
            }
            finally
            {
                if (File.Exists(temp))
                {
                    try
                    {
                        File.Delete(temp);
                    }
                    catch (IOException)
                    {
                        // A leftover temporary file never replaces the original; nothing more to do.
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            }
        }
    }
}
