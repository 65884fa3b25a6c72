using System;
using System.IO;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Linq;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>Whether Firefox (or Thunderbird) runs on a profile.</summary>
    public sealed class ProfileLockState
    {
        private ProfileLockState(bool isRunning, int? pid, string description)
        {
            IsRunning = isRunning;
            Pid = pid;
            Description = description;
        }

        public bool IsRunning { get; }

        public int? Pid { get; }

        public string Description { get; }

        public static ProfileLockState NotRunning(string description) => new ProfileLockState(false, null, description);

        public static ProfileLockState Running(int? pid, string description) => new ProfileLockState(true, pid, description);

        public override string ToString() => Description;
    }

    /// <summary>What the lock check asks of the OS; tests give a fake to tell stale locks from live ones.</summary>
    public interface IProcessProbe
    {
        bool IsAlive(int pid);

        /// <summary>
        /// The pid of another process holding a write lock on the file, 0 for none, -1 when it is held by a process
        /// whose pid reads 0 here (another pid namespace), null when unknown.
        /// </summary>
        int? GetLockingPid(string path);

        /// <summary>The target of a symbolic link, or null.</summary>
        string? ReadLink(string path);

        /// <summary>True when the address is one of this machine's.</summary>
        bool IsLocalAddress(string address);

        /// <summary>True when the file exists but cannot be opened because another process holds it exclusively (Windows).</summary>
        bool IsHeldExclusively(string path);
    }

    /// <summary>The real OS.</summary>
    public sealed class SystemProcessProbe : IProcessProbe
    {
        public bool IsAlive(int pid)
        {
            if (!UnixNative.ProcessExists(pid))
            {
                return false;
            }

            // A zombie (ended, not yet reaped by its parent) answers kill(pid, 0) but runs no Firefox: state 'Z' in /proc/<pid>/stat.
            try
            {
                string stat = File.ReadAllText("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/stat");
                int close = stat.LastIndexOf(')');
                return !(close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z');
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return true;
            }
        }

        public int? GetLockingPid(string path)
        {
            try
            {
                // Not following a symlink, not blocking on a FIFO: the profile folder belongs to the user.
                using (FileStream stream = SafeFile.OpenRegular(path, followLinks: false))
                {
                    return UnixNative.GetLockingPid(stream);
                }
            }
            catch (FileNotFoundException)
            {
                return 0;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is Ekeng.Diagnostics.EkengException)
            {
                return null;
            }
        }

        public string? ReadLink(string path) => UnixNative.ReadLink(path);

        public bool IsLocalAddress(string address)
        {
            if (!IPAddress.TryParse(address, out IPAddress? ip))
            {
                return false;
            }

            if (IPAddress.IsLoopback(ip))
            {
                return true;
            }

            try
            {
                return NetworkInterface.GetAllNetworkInterfaces()
                    .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                    .Any(u => u.Address.Equals(ip));
            }
            catch (NetworkInformationException)
            {
                return false;
            }
        }

        public bool IsHeldExclusively(string path)
        {
            try
            {
                using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    return false;
                }
            }
            catch (FileNotFoundException)
            {
                return false;
            }
            catch (DirectoryNotFoundException)
            {
                return false;
            }
            catch (IOException)
            {
                // ERROR_SHARING_VIOLATION: Firefox opens parent.lock with no sharing while it runs.
                return true;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Tells whether Firefox runs on a profile, as Firefox's own profile lock does (DESIGN.md §4): on Linux the
    /// 'lock' symlink '&lt;ip&gt;:+&lt;pid&gt;' whose pid is alive, or the fcntl lock on '.parentlock'; on macOS the fcntl
    /// lock on '.parentlock'; on Windows 'parent.lock' held open without sharing. A 'lock' left behind by a Firefox
    /// that has ended (its pid gone) is stale and does not count.
    /// </summary>
    public sealed class ProfileLockDetector
    {
        private readonly OsPlatform _platform;
        private readonly IProcessProbe _probe;

        public ProfileLockDetector(OsPlatform platform, IProcessProbe? probe = null)
        {
            _platform = platform;
            _probe = probe ?? new SystemProcessProbe();
        }

        public ProfileLockState Check(string profilePath)
        {
            switch (_platform)
            {
                case OsPlatform.Windows:
                    string parentLock = Path.Combine(profilePath, "parent.lock");
                    return _probe.IsHeldExclusively(parentLock)
                        ? ProfileLockState.Running(null, $"'{parentLock}' is held open by a running Firefox")
                        : ProfileLockState.NotRunning("parent.lock is not held");
                case OsPlatform.MacOS:
                    return CheckFcntl(profilePath) ?? ProfileLockState.NotRunning(".parentlock is not locked");
                default:
                    ProfileLockState? symlink = CheckSymlink(profilePath, out string symlinkNote);
                    if (symlink != null)
                    {
                        return symlink;
                    }

                    return CheckFcntl(profilePath) ?? ProfileLockState.NotRunning(symlinkNote);
            }
        }

        private ProfileLockState? CheckSymlink(string profilePath, out string note)
        {
            string lockPath = Path.Combine(profilePath, "lock");
            string? target = _probe.ReadLink(lockPath);
            if (target is null)
            {
                note = "no lock symlink";
                return null;
            }

            // Firefox writes '<IPv4 address>:+<pid>' (nsProfileLock::LockWithSymlink).
            int colon = target.LastIndexOf(":+", StringComparison.Ordinal);
            if (colon < 0 || !int.TryParse(target.Substring(colon + 2), out int pid))
            {
                note = $"lock symlink '{target}' is not Firefox's";
                return null;
            }

            string address = target.Substring(0, colon);
            if (pid <= 0)
            {
                // A pid of 0 names no process here (written from another pid namespace): Firefox may be running.
                note = string.Empty;
                return ProfileLockState.Running(null, $"'{lockPath}' -> {target}: its pid reads {pid} (another pid namespace?), so Firefox may be running on it");
            }

            if (!_probe.IsLocalAddress(address))
            {
                note = string.Empty;
                return ProfileLockState.Running(pid, $"'{lockPath}' says Firefox (pid {pid}) runs on another machine ({address})");
            }

            if (_probe.IsAlive(pid))
            {
                note = string.Empty;
                return ProfileLockState.Running(pid, $"Firefox (pid {pid}) runs on it ('{lockPath}' -> {target})");
            }

            note = $"stale lock symlink ({target}: pid {pid} has ended)";
            return null;
        }

        private ProfileLockState? CheckFcntl(string profilePath)
        {
            string parentLock = Path.Combine(profilePath, ".parentlock");
            int? pid = _probe.GetLockingPid(parentLock);
            if (pid is int p && p > 0)
            {
                return ProfileLockState.Running(p, $"Firefox (pid {p}) holds the lock on '{parentLock}'");
            }

            if (pid is int unseen && unseen < 0)
            {
                // F_GETLK answers pid 0 for a holder in another pid namespace (a flatpak/snap Firefox, a container): maybe running.
                return ProfileLockState.Running(null, $"a process this one cannot see (pid reads 0: another pid namespace, such as a flatpak or snap Firefox) holds the lock on '{parentLock}', so Firefox may be running");
            }

            return null;
        }
    }
}
