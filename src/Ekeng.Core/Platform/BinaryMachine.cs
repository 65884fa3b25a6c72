namespace Ekeng.Platform
{
    /// <summary>
    /// The executable format and CPU of a binary, read from its header: the one reader of machine types (Firefox's
    /// build against a library, a PKCS#11 library against this process).
    /// </summary>
    public sealed class BinaryMachine : IEquatable<BinaryMachine>
    {
        public BinaryMachine(string format, ushort machine, bool is64Bit)
        {
            Format = format;
            Machine = machine;
            Is64Bit = is64Bit;
        }

        /// <summary>"PE", "ELF" or "Mach-O".</summary>
        public string Format { get; }

        /// <summary>IMAGE_FILE_MACHINE_* for PE, e_machine for ELF, cputype's low 16 bits for Mach-O.</summary>
        public ushort Machine { get; }

        public bool Is64Bit { get; }

        /// <summary>A readable name: x86, x64, ARM64, ARM...</summary>
        public string Architecture
        {
            get
            {
                switch (Format)
                {
                    case "PE":
                        switch (Machine)
                        {
                            case 0x014C: return "x86 (32-bit)";
                            case 0x8664: return "x64 (64-bit)";
                            case 0xAA64: return "ARM64";
                            case 0x01C4: return "ARM (32-bit)";
                            default: return $"PE machine 0x{Machine:X4}";
                        }

                    case "ELF":
                        switch (Machine)
                        {
                            case 3: return "x86 (32-bit)";
                            case 62: return "x64 (64-bit)";
                            case 183: return "ARM64";
                            case 40: return "ARM (32-bit)";
                            default: return $"ELF machine {Machine}";
                        }

                    default:
                        switch (Machine)
                        {
                            case 7: return Is64Bit ? "x64 (64-bit)" : "x86 (32-bit)";
                            case 12: return Is64Bit ? "ARM64" : "ARM (32-bit)";
                            default: return $"Mach-O CPU {Machine}";
                        }
                }
            }
        }

        /// <summary>
        /// The process architecture that can load this PE or ELF binary; null for Mach-O (left to the loader, a
        /// universal binary holds several) and for machines .NET does not name.
        /// </summary>
        public System.Runtime.InteropServices.Architecture? ProcessArchitecture
        {
            get
            {
                if (Format == "PE")
                {
                    switch (Machine)
                    {
                        case 0x014C: return System.Runtime.InteropServices.Architecture.X86;
                        case 0x8664: return System.Runtime.InteropServices.Architecture.X64;
                        case 0xAA64: return System.Runtime.InteropServices.Architecture.Arm64;
                        case 0x01C4: return System.Runtime.InteropServices.Architecture.Arm;
                    }
                }
                else if (Format == "ELF")
                {
                    switch (Machine)
                    {
                        case 3: return System.Runtime.InteropServices.Architecture.X86;
                        case 62: return System.Runtime.InteropServices.Architecture.X64;
                        case 183: return System.Runtime.InteropServices.Architecture.Arm64;
                        case 40: return System.Runtime.InteropServices.Architecture.Arm;
                    }
                }

                return null;
            }
        }

        public override string ToString() => $"{Format} {Architecture}";

        public bool Equals(BinaryMachine? other) => other != null && other.Format == Format && other.Machine == Machine && other.Is64Bit == Is64Bit;

        public override bool Equals(object? obj) => Equals(obj as BinaryMachine);

        public override int GetHashCode() => (Format.GetHashCode() * 397) ^ Machine ^ (Is64Bit ? 0x10000 : 0);

        /// <summary>Reads the header of a file; null when it is not a PE, ELF or thin Mach-O binary (a universal Mach-O holds several).</summary>
        public static BinaryMachine? Read(string path)
        {
            // A library path may be a symlink (libfoo.so -> libfoo.so.1); a FIFO or device there must not hang or feed the read.
            using (FileStream stream = SafeFile.OpenRegular(path, followLinks: true))
            {
                return Read(stream);
            }
        }

        /// <summary>Reads the header from a stream positioned anywhere; null when the format is not recognised.</summary>
        public static BinaryMachine? Read(Stream stream)
        {
            byte[] head = ReadAt(stream, 0, 64);
            if (head.Length >= 64 && head[0] == (byte)'M' && head[1] == (byte)'Z')
            {
                // DOS header: e_lfanew at 0x3C points at "PE\0\0", then IMAGE_FILE_HEADER.Machine; the optional header
                // magic (0x10B PE32, 0x20B PE32+) follows the 20-byte file header.
                int peOffset = BitConverter.ToInt32(head, 0x3C);
                if (peOffset <= 0 || peOffset > 64 * 1024 * 1024)
                {
                    return null;
                }

                byte[] pe = ReadAt(stream, peOffset, 26);
                if (pe.Length < 26 || pe[0] != (byte)'P' || pe[1] != (byte)'E' || pe[2] != 0 || pe[3] != 0)
                {
                    return null;
                }

                ushort machine = BitConverter.ToUInt16(pe, 4);
                ushort magic = BitConverter.ToUInt16(pe, 24);
                return new BinaryMachine("PE", machine, magic == 0x20B);
            }

            if (head.Length >= 20 && head[0] == 0x7F && head[1] == (byte)'E' && head[2] == (byte)'L' && head[3] == (byte)'F')
            {
                bool is64 = head[4] == 2;
                bool little = head[5] == 1;
                ushort machine = little ? (ushort)(head[18] | (head[19] << 8)) : (ushort)((head[18] << 8) | head[19]);
                return new BinaryMachine("ELF", machine, is64);
            }

            if (head.Length >= 8)
            {
                uint magic = BitConverter.ToUInt32(head, 0);
                if (magic == 0xFEEDFACF || magic == 0xFEEDFACE)
                {
                    uint cpu = BitConverter.ToUInt32(head, 4);
                    return new BinaryMachine("Mach-O", (ushort)(cpu & 0xFFFF), (cpu & 0x01000000) != 0);
                }
            }

            return null;
        }

        private static byte[] ReadAt(Stream stream, long offset, int count)
        {
            if (offset + count > stream.Length)
            {
                count = (int)Math.Max(0, stream.Length - offset);
            }

            var buffer = new byte[count];
            stream.Position = offset;
            int read = 0;
            while (read < count)
            {
                int n = stream.Read(buffer, read, count - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            if (read < count)
            {
                Array.Resize(ref buffer, read);
            }

            return buffer;
        }
    }
}
