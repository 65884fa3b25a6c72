using System;
using System.IO;
using System.Runtime.InteropServices;
using Ekeng.Diagnostics;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Reads the machine type of a native library (PE on Windows, ELF on Linux) so that a 32-bit module is
    /// refused with a clear error before a 64-bit process tries to load it (LoadLibrary would only say
    /// "%1 is not a valid Win32 application"). Mach-O and unreadable files are left to the loader.
    /// </summary>
    public static class ModuleArchitecture
    {
        /// <summary>The architecture of the library's code, or null when the file is not PE or ELF.</summary>
        public static Architecture? Read(string path)
        {
            try
            {
                using (FileStream stream = File.OpenRead(path))
                {
                    return Read(stream);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The architecture from a library's header, or null when it is neither PE nor ELF.</summary>
        public static Architecture? Read(Stream stream)
        {
            var header = new byte[64];
            int read = ReadFully(stream, header, 0, header.Length);
            if (read >= 64 && header[0] == (byte)'M' && header[1] == (byte)'Z')
            {
                int peOffset = BitConverter.ToInt32(header, 0x3C);
                var pe = new byte[6];
                if (peOffset <= 0 || !stream.CanSeek)
                {
                    return null;
                }

                stream.Seek(peOffset, SeekOrigin.Begin);
                if (ReadFully(stream, pe, 0, 6) < 6 || pe[0] != (byte)'P' || pe[1] != (byte)'E' || pe[2] != 0 || pe[3] != 0)
                {
                    return null;
                }

                ushort machine = (ushort)(pe[4] | (pe[5] << 8));
                switch (machine)
                {
                    case 0x014C: return Architecture.X86;
                    case 0x8664: return Architecture.X64;
                    case 0xAA64: return Architecture.Arm64;
                    case 0x01C4: return Architecture.Arm;
                    default: return null;
                }
            }

            if (read >= 20 && header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F')
            {
                bool littleEndian = header[5] == 1;
                ushort machine = littleEndian ? (ushort)(header[18] | (header[19] << 8)) : (ushort)((header[18] << 8) | header[19]);
                switch (machine)
                {
                    case 3: return Architecture.X86;
                    case 62: return Architecture.X64;
                    case 183: return Architecture.Arm64;
                    case 40: return Architecture.Arm;
                    default: return null;
                }
            }

            return null;
        }

        /// <summary>Throws Pkcs11ModuleArchitectureMismatch when the library cannot load into this process.</summary>
        public static void EnsureLoadable(string path) => EnsureLoadable(path, Read(path), RuntimeInformation.ProcessArchitecture);

        internal static void EnsureLoadable(string path, Architecture? module, Architecture process)
        {
            if (module is null || module == process)
            {
                return;
            }

            string bits = module == Architecture.X86 || module == Architecture.Arm ? "32-bit" : "64-bit";
            string processBits = IntPtr.Size == 8 ? "64-bit" : "32-bit";
            throw new EkengException(
                "Pkcs11ModuleArchitectureMismatch",
                EkengErrorKind.InvalidOperation,
                $"The PKCS#11 module '{path}' is a {bits} {module} library; this PowerShell is a {processBits} {process} process and cannot load it.")
            {
                RecommendedAction = "Use the middleware's library built for this process (on 64-bit Windows the one under 'Program Files', not 'Program Files (x86)'), or run a PowerShell of the library's architecture.",
                TargetObject = path,
            };
        }

        private static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = stream.Read(buffer, offset + total, count - total);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }
    }
}
