using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Refuses a library of another architecture with a clear error before this process tries to load it (LoadLibrary
    /// would only say "%1 is not a valid Win32 application"). The header is read by <see cref="BinaryMachine"/>;
    /// Mach-O and unreadable files are left to the loader.
    /// </summary>
    public static class ModuleArchitecture
    {
        /// <summary>The architecture of the library's code, or null when the file is not a readable PE or ELF.</summary>
        public static Architecture? Read(string path)
        {
            try
            {
                return BinaryMachine.Read(path)?.ProcessArchitecture;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is EkengException)
            {
                return null;
            }
        }

        /// <summary>The architecture from a library's header, or null when it is neither PE nor ELF.</summary>
        public static Architecture? Read(Stream stream) => stream.CanSeek ? BinaryMachine.Read(stream)?.ProcessArchitecture : null;

        /// <summary>Throws Pkcs11ModuleArchitectureMismatch when the library cannot load into this process.</summary>
        public static void EnsureLoadable(string path) => EnsureLoadable(path, Read(path), RuntimeInformation.ProcessArchitecture);

        internal static void EnsureLoadable(string path, Architecture? module, Architecture process)
        {
            if (module is null || module == process)
            {
                return;
            }

            throw Mismatch(path, module.Value, process);
        }

        /// <summary>The Pkcs11ModuleArchitectureMismatch error; <paramref name="module"/> null when only the loader knew.</summary>
        internal static EkengException Mismatch(string path, Architecture? module, Architecture process, Exception? inner = null)
        {
            string processBits = IntPtr.Size == 8 ? "64-bit" : "32-bit";
            string what = module is null
                ? "a library of another architecture"
                : $"a {(module == Architecture.X86 || module == Architecture.Arm ? "32-bit" : "64-bit")} {module} library";
            return new EkengException(TokenErrors.Pkcs11ModuleArchitectureMismatch, $"The PKCS#11 module '{path}' is {what}; this PowerShell is a {processBits} {process} process and cannot load it.",
                inner)
            {
                TargetObject = path,
            };
        }
    }
}
