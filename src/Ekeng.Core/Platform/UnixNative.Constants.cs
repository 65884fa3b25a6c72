namespace Ekeng.Platform
{
    /// <summary>The constants of the calls: open(2) and *at(2) flags, errno values, flock(2) operations, file type bits (Linux x86-64 and arm64, macOS).</summary>
    internal static partial class UnixNative
    {
        // open(2) flags: Linux generic values (x86-64 and arm64 differ only in O_DIRECTORY and O_NOFOLLOW), and macOS.
        public static int O_RDONLY => 0;
        public static int O_WRONLY => 1;
        public static int O_CREAT => IsMac ? 0x200 : 0x40;
        public static int O_EXCL => IsMac ? 0x800 : 0x80;
        public static int O_NONBLOCK => IsMac ? 0x4 : 0x800;
        public static int O_DIRECTORY => IsMac ? 0x100000 : LinuxArm64 ? 0x4000 : 0x10000;
        public static int O_NOFOLLOW => IsMac ? 0x100 : LinuxArm64 ? 0x8000 : 0x20000;
        public static int O_CLOEXEC => IsMac ? 0x1000000 : 0x80000;

        /// <summary>Linux O_PATH: a handle to a name itself (a folder to walk from, a symlink to read), no read access needed.</summary>
        public const int O_PATH_LINUX = 0x200000;

        public static int AT_SYMLINK_NOFOLLOW => IsMac ? 0x20 : 0x100;

        public static int AT_FDCWD => IsMac ? -2 : -100;

        public static int ELOOP => IsMac ? 62 : 40;
        public static int EWOULDBLOCK => IsMac ? 35 : 11;
        public const int ENOENT = 2;
        public const int EINTR = 4;
        public const int EEXIST = 17;
        public const int ENOTDIR = 20;
        public static int EOPNOTSUPP => IsMac ? 102 : 95;
        public const int EMLINK = 31;
        public const int EXDEV = 18;

        public const int LOCK_EX = 2;
        public const int LOCK_NB = 4;
        public const int LOCK_UN = 8;

        public const uint S_IFMT = 0xF000;
        public const uint S_IFREG = 0x8000;
        public const uint S_IFDIR = 0x4000;

        public const int EPERM = 1;

        private const int ENAMETOOLONG = 36;
    }
}
