namespace Ekeng.Firefox
{
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
}
