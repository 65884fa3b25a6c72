namespace Ekeng.Platform
{
    /// <summary>An atomic write that must not replace a file found one already there (nothing was written).</summary>
    internal sealed class TargetExistsException : IOException
    {
        public TargetExistsException(string path)
            : base($"'{path}' exists.")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
