using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Ekeng.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Ekeng.Platform
{
    /// <summary>
    /// Serialises our read-modify-write of the files in one folder (a profile's pkcs11.txt, a policies.json) between
    /// threads and processes, so that two runs at once (Set against Remove, two Intune runs) never lose an update.
    /// Linux and macOS: flock(LOCK_EX) on the folder's own fd: nothing is created in the user's folder, the kernel
    /// drops the lock when the process ends, and each acquisition opens the folder anew, so threads of one process
    /// exclude each other too. Firefox does not flock its profile folder (it locks '.parentlock' with fcntl and the
    /// 'lock' symlink), so this never blocks or is blocked by Firefox. Windows: a named mutex per folder path.
    /// Advisory: it binds only the runs of this module.
    /// </summary>
    public sealed class FolderLock : IDisposable
    {
        /// <summary>How long a run waits for another one on the same folder before giving up.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

        private SafeFileHandle? _folder;
        private Mutex? _mutex;

        private FolderLock(SafeFileHandle? folder, Mutex? mutex)
        {
            _folder = folder;
            _mutex = mutex;
        }

        /// <summary>Takes the lock of the folder that holds <paramref name="file"/>; ResourceBusy (FolderBusy) after <paramref name="timeout"/>.</summary>
        public static FolderLock Acquire(string file, TimeSpan? timeout = null)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
            TimeSpan wait = timeout ?? DefaultTimeout;
            if (HostOs.IsWindows)
            {
                return AcquireMutex(folder, wait);
            }

            if (!UnixNative.HasFileHandles)
            {
                return new FolderLock(null, null);
            }

            SafeFileHandle handle = UnixNative.OpenAt(null, folder, UnixNative.O_RDONLY | UnixNative.O_DIRECTORY | UnixNative.O_CLOEXEC);
            try
            {
                var clock = Stopwatch.StartNew();
                int delay = 5;
                while (!UnixNative.Flock(handle, UnixNative.LOCK_EX | UnixNative.LOCK_NB))
                {
                    if (clock.Elapsed >= wait)
                    {
                        throw Busy(folder, wait);
                    }

                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 100);
                }

                return new FolderLock(handle, null);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            // Closing the fd releases the flock.
            _folder?.Dispose();
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
            var error = new EkengException("FolderBusy", EkengErrorKind.ResourceBusy,
                $"Another run of this module has been editing the files in '{folder}' for more than {wait.TotalSeconds:0} s; nothing was changed.")
            {
                RecommendedAction = "Wait for the other run (another PowerShell session, a deployment script) to end, then run the command again.",
                TargetObject = folder,
            };
            return error;
        }
    }
}
