namespace Ekeng.Platform
{
    /// <summary>A failed libc file call, with its errno.</summary>
    internal sealed class UnixIOException : IOException
    {
        public UnixIOException(int errno, string what)
            : base($"{what} (errno {errno}).")
        {
            Errno = errno;
        }

        public int Errno { get; }
    }
}
