using System.Net;
using System.Net.NetworkInformation;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
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
            // No lock file at all (a profile Firefox has never opened): nobody holds it, and that is known without the
            // two exceptions a failed open costs, per profile. Anything there (a link, a folder, a FIFO) is opened below
            // and judged as before; a dangling link or a folder answers "not running" either way.
            if (!File.Exists(path))
            {
                return 0;
            }

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
}
