namespace Ekeng.Platform
{
    /// <summary>What fstat(2) says of an open file.</summary>
    internal readonly struct FileStatus
    {
        public FileStatus(uint mode, uint uid, uint gid, long size, ulong device, ulong inode)
        {
            Mode = mode;
            Uid = uid;
            Gid = gid;
            Size = size;
            Device = device;
            Inode = inode;
        }

        /// <summary>st_mode: the file type (S_IFMT bits) and the permission bits.</summary>
        public uint Mode { get; }

        public uint Uid { get; }

        public uint Gid { get; }

        public long Size { get; }

        public ulong Device { get; }

        public ulong Inode { get; }

        public uint Permissions => Mode & 0xFFF;

        public bool IsRegularFile => (Mode & UnixNative.S_IFMT) == UnixNative.S_IFREG;

        public bool IsDirectory => (Mode & UnixNative.S_IFMT) == UnixNative.S_IFDIR;

        public bool IsSymbolicLink => (Mode & UnixNative.S_IFMT) == 0xA000;

        /// <summary>The file type in words, for messages.</summary>
        public string TypeName
        {
            get
            {
                switch (Mode & UnixNative.S_IFMT)
                {
                    case 0x1000: return "a FIFO (named pipe)";
                    case 0x2000: return "a character device";
                    case 0x4000: return "a folder";
                    case 0x6000: return "a block device";
                    case 0x8000: return "a regular file";
                    case 0xA000: return "a symbolic link";
                    case 0xC000: return "a socket";
                    default: return "not a regular file";
                }
            }
        }
    }
}
