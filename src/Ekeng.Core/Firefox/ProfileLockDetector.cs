using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Tells whether Firefox runs on a profile, as Firefox's own profile lock does (docs/ARCHITECTURE.md#firefox-facts): on Linux the
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
