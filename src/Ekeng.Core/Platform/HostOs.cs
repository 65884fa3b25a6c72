namespace Ekeng.Platform
{
    /// <summary>The one place that asks which OS this process runs on; everything else takes an <see cref="OsPlatform"/>.</summary>
    public static class HostOs
    {
        /// <summary>Windows, macOS, or Linux (any other Unix is treated as Linux).</summary>
        public static OsPlatform Current { get; } =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OsPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OsPlatform.MacOS
            : OsPlatform.Linux;

        public static bool IsWindows => Current == OsPlatform.Windows;

        public static bool IsMacOS => Current == OsPlatform.MacOS;

        /// <summary>Linux proper (not another Unix): what the libc layouts in <see cref="UnixNative"/> are written for.</summary>
        public static bool IsLinux { get; } = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
    }
}
