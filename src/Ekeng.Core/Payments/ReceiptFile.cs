using System;
using System.IO;
using Ekeng.Diagnostics;

namespace Ekeng.Payments
{
    /// <summary>Writes a receipt without ever leaving a half-written file: a temporary file in the same folder, flushed, then renamed.</summary>
    internal static class ReceiptFile
    {
        public static EkengException Exists(string path) =>
            new EkengException(FeeErrorIds.ReceiptExists, EkengErrorKind.WriteError, $"The receipt file '{path}' exists; it was left as it is.")
            {
                RecommendedAction = "Choose another path, or remove the file first.",
                TargetObject = path,
            };

        public static void WriteAtomically(string path, byte[] content, bool force)
        {
            string directory = Path.GetDirectoryName(path) ?? ".";
            string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }

                if (File.Exists(path))
                {
                    if (!force)
                    {
                        throw Exists(path);
                    }

                    File.Replace(temp, path, null);
                }
                else
                {
                    // Move refuses an existing target: a file that appeared meanwhile is not overwritten without force.
                    try
                    {
                        File.Move(temp, path);
                    }
                    catch (IOException) when (File.Exists(path) && !force)
                    {
                        throw Exists(path);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new EkengException(FeeErrorIds.ReceiptWriteFailed, EkengErrorKind.WriteError, $"The receipt could not be written to '{path}': {e.Message}", e)
                {
                    TargetObject = path,
                };
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
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            }
        }
    }
}
