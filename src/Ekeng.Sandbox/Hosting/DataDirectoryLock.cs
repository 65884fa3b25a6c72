namespace Ekeng.Sandbox.Hosting;

/// <summary>One sandbox per data directory: an exclusive lock file held for the process's lifetime.</summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, or returns null and the pid of the holder (0 when unknown).</summary>
    public static DataDirectoryLock? TryAcquire(string directory, out int holderPid)
    {
        holderPid = 0;
        string lockPath = Path.Combine(directory, "sandbox.lock");
        string pidPath = Path.Combine(directory, "sandbox.pid");
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            try { _ = int.TryParse(File.ReadAllText(pidPath).Trim(), out holderPid); } catch (IOException) { }
            return null;
        }
        File.WriteAllText(pidPath, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new DataDirectoryLock(stream);
    }

    public void Dispose() => _stream.Dispose();
}
