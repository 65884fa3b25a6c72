using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Signing
{
    /// <summary>
    /// Reading the files to sign or check and writing what signing makes. Inputs are opened as regular files only
    /// (<see cref="SafeFile"/>: no link followed in a user's folder, no FIFO) and bounded; outputs go through
    /// <see cref="AtomicFile"/> in a <see cref="SafeFolder"/>: a temporary file, fsync'ed, renamed into place, so a
    /// failure leaves neither a half-written signature nor the temporary file, and an existing file is replaced only
    /// when asked (-Force).
    /// </summary>
    internal static class SigningFiles
    {
        /// <summary>Largest PDF signed or checked (it is read whole).</summary>
        public const int MaxPdfBytes = 256 * 1024 * 1024;

        /// <summary>Largest detached signature (.p7s) read.</summary>
        public const int MaxSignatureBytes = 16 * 1024 * 1024;

        public static FileStream Open(string path)
        {
            try
            {
                return SafeFile.OpenRegular(path, followLinks: false);
            }
            catch (FileNotFoundException e)
            {
                throw new EkengException(SigningErrors.SignInputNotFound, $"'{path}' does not exist.", e) { TargetObject = path };
            }
            catch (DirectoryNotFoundException e)
            {
                throw new EkengException(SigningErrors.SignInputNotFound, $"'{path}' does not exist.", e) { TargetObject = path };
            }
            catch (EkengException e) when (FileErrors.UnsafeFile.Is(e))
            {
                throw new EkengException(SigningErrors.SignInputUnsafe, $"'{path}' is not a regular file (a folder, a link, a device or a FIFO): it was not read.", e)
                {
                    TargetObject = path,
                };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Unreadable(path, e);
            }
        }

        public static byte[] ReadAll(string path, int maxBytes)
        {
            using (FileStream stream = Open(path))
            {
                try
                {
                    if (stream.Length > maxBytes)
                    {
                        throw TooLarge(path, maxBytes);
                    }

                    var buffer = new byte[stream.Length];
                    int read = 0;
                    while (read < buffer.Length)
                    {
                        int n = stream.Read(buffer, read, buffer.Length - read);
                        if (n == 0)
                        {
                            throw Unreadable(path, new EndOfStreamException("The file became shorter while it was read."));
                        }

                        read += n;
                    }

                    if (stream.ReadByte() >= 0)
                    {
                        throw Unreadable(path, new IOException("The file grew while it was read."));
                    }

                    return buffer;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw Unreadable(path, e);
                }
            }
        }

        /// <summary>Writes <paramref name="write"/>'s output to <paramref name="path"/> atomically (0644; a replaced file keeps its owner and mode).</summary>
        public static void Write(string path, Action<Stream> write, bool force) =>
            AtomicFile.WriteDocument(path, write, force, Exists, (full, e) =>
                new EkengException(SigningErrors.SignatureWriteFailed, $"The signature could not be written to '{full}': {e.Message}", e)
                {
                    TargetObject = full,
                });

        public static EkengException Exists(string path) =>
            new EkengException(SigningErrors.SignatureFileExists, $"'{path}' exists; it was left as it is and nothing was signed for it.")
            {
                TargetObject = path,
            };

        private static EkengException TooLarge(string path, int maxBytes) =>
            new EkengException(SigningErrors.SignInputTooLarge, $"'{path}' is larger than {maxBytes / (1024 * 1024)} MiB; it was not read.") { TargetObject = path };

        private static EkengException Unreadable(string path, Exception e) =>
            new EkengException(SigningErrors.SignInputUnreadable, $"'{path}' cannot be read: {e.Message}", e) { TargetObject = path };
    }
}
