using System.Diagnostics;
using System.Security.Cryptography;
using Ekeng.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>
    /// Serialises our read-modify-write of the files in one folder (a profile's pkcs11.txt, a policies.json) between
    /// threads and processes, so that two runs at once (Set against Remove, two Intune runs) never lose an update.
    /// Linux and macOS: flock(LOCK_EX) on the fd of the <see cref="SafeFolder"/> the read and the write then use, so the
    /// lock is on the very folder written (never a name looked up again); nothing is created in the user's folder, the
    /// kernel drops the lock when the process ends, and each SafeFolder is its own open file description, so threads
    /// of one process exclude each other too. Firefox does not flock its profile folder (it locks '.parentlock' with
    /// fcntl and the 'lock' symlink), so this never blocks or is blocked by Firefox. Windows: a named mutex per folder
    /// path. Advisory: it binds only the runs of this module (and any other flock on the folder, e.g. flock(1)).
    /// </summary>
    public sealed class FolderLock : IDisposable
    {
        /// <summary>The variable that sets how long a run waits for another one on the same folder, in seconds.</summary>
        public const string WaitVariable = "EKENG_FOLDER_WAIT_SECONDS";

        private SafeFileHandle? _folder;
        private Mutex? _mutex;

        private FolderLock(SafeFileHandle? folder, Mutex? mutex)
        {
            _folder = folder;
            _mutex = mutex;
        }

        /// <summary>
        /// How long a run waits for another one on the same folder before giving up: 60 s, or the whole seconds in
        /// EKENG_FOLDER_WAIT_SECONDS (0 = do not wait).
        /// </summary>
        public static TimeSpan DefaultTimeout
        {
            get
            {
                string? text = Environment.GetEnvironmentVariable(WaitVariable);
                return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : TimeSpan.FromSeconds(60);
            }
        }

        /// <summary>Takes the lock of <paramref name="folder"/>; ResourceBusy (FolderBusy) after <paramref name="timeout"/>.</summary>
        public static FolderLock Acquire(SafeFolder folder, TimeSpan? timeout = null)
        {
            TimeSpan wait = timeout ?? DefaultTimeout;
            if (HostOs.IsWindows)
            {
                return AcquireMutex(folder.Path, wait);
            }

            SafeFileHandle? handle = folder.Handle;
            if (handle is null)
            {
                return new FolderLock(null, null);
            }

            var clock = Stopwatch.StartNew();
            int delay = 5;
            while (!UnixNative.Flock(handle, UnixNative.LOCK_EX | UnixNative.LOCK_NB))
            {
                if (clock.Elapsed >= wait)
                {
                    throw Busy(folder.Path, wait);
                }

                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 100);
            }

            return new FolderLock(handle, null);
        }

        public void Dispose()
        {
            // The fd belongs to the SafeFolder (closing it would release the flock too).
            if (_folder != null && !_folder.IsClosed)
            {
                try
                {
                    UnixNative.Flock(_folder, UnixNative.LOCK_UN);
                }
                catch (IOException)
                {
                    // Closing the folder's fd releases it anyway.
                }
            }

            _folder = null;
            if (_mutex != null)
            {
                _mutex.ReleaseMutex();
                _mutex.Dispose();
                _mutex = null;
            }
        }

        private static FolderLock AcquireMutex(string folder, TimeSpan wait)
        {
            string key;
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(folder.TrimEnd('\\', '/').ToUpperInvariant()));
                key = BitConverter.ToString(hash).Replace("-", string.Empty).Substring(0, 32);
            }

            Mutex mutex;
            try
            {
                mutex = new Mutex(false, @"Global\Ekeng.Firefox." + key);
            }
            catch (UnauthorizedAccessException)
            {
                mutex = new Mutex(false, @"Local\Ekeng.Firefox." + key);
            }

            try
            {
                bool taken;
                try
                {
                    taken = mutex.WaitOne(wait);
                }
                catch (AbandonedMutexException)
                {
                    // The previous holder ended without releasing: the lock is ours; the file is whole (atomic rename).
                    taken = true;
                }

                if (!taken)
                {
                    throw Busy(folder, wait);
                }

                return new FolderLock(null, mutex);
            }
            catch
            {
                mutex.Dispose();
                throw;
            }
        }

        private static EkengException Busy(string folder, TimeSpan wait)
        {
            var error = new EkengException(FileErrors.FolderBusy, $"Another run of this module has been editing the files in '{folder}' for more than {wait.TotalSeconds:0} s; nothing was changed.")
            {
                TargetObject = folder,
            };
            return error;
        }
    }
}
