using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Payments
{
    /// <summary>
    /// Writes a receipt without ever leaving a half-written file, through <see cref="AtomicFile"/>: the folder the user
    /// named is resolved once (<see cref="SafeFolder"/>: no link into a folder its owner could not write), the content
    /// goes to an O_EXCL temporary file there, fsync'ed, then takes the receipt's name (never through a symbolic link).
    /// A new receipt is 0644 and, written by root, belongs to the folder's owner; a replaced one keeps its owner and mode.
    /// </summary>
    internal static class ReceiptFile
    {
        public static EkengException Exists(string path) =>
            new EkengException(FeeErrors.ReceiptExists, $"The receipt file '{path}' exists; it was left as it is.")
            {
                RecommendedAction = "Choose another path, or remove the file first.",
                TargetObject = path,
            };

        public static void WriteAtomically(string path, byte[] content, bool force) =>
            WriteAtomically(path, stream => stream.Write(content, 0, content.Length), force);

        /// <summary>Writes what <paramref name="write"/> puts in the stream; if it fails, neither the receipt nor a temporary file is left.</summary>
        internal static void WriteAtomically(string path, Action<Stream> write, bool force) =>
            AtomicFile.WriteDocument(path, write, force, Exists, (full, e) =>
                new EkengException(FeeErrors.ReceiptWriteFailed, $"The receipt could not be written to '{full}': {e.Message}", e)
                {
                    TargetObject = full,
                });
    }
}
