using System.Reflection;
using Net.Pkcs11Interop.Common;
using Ekeng.Platform;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Pkcs11Interop 5.3 calls dlopen through a library named "libdl". Since glibc 2.34 only "libdl.so.2" exists
    /// on a system without the C development package (Debian 12, Ubuntu 22.04+), so the load fails with
    /// DllNotFoundException. On .NET Core / PowerShell 7 a DllImport resolver maps the name; it is set through
    /// reflection because this assembly targets netstandard2.0 (Windows PowerShell on .NET Framework needs none).
    /// </summary>
    internal static class NativeLoaderFix
    {
        private static bool _done;

        public static void Ensure()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            if (!HostOs.IsLinux)
            {
                return;
            }

            Type? nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary");
            Type? resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver");
            if (nativeLibrary is null || resolverType is null)
            {
                return;
            }

            MethodInfo? set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            MethodInfo resolve = typeof(NativeLoaderFix).GetMethod(nameof(Resolve), BindingFlags.NonPublic | BindingFlags.Static)!;
            if (set is null)
            {
                return;
            }

            try
            {
                set.Invoke(null, new object[] { typeof(Pkcs11Exception).Assembly, Delegate.CreateDelegate(resolverType, resolve) });
            }
            catch (TargetInvocationException)
            {
                // Another component of this process set a resolver for Pkcs11Interop already: keep it.
            }
        }

        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName != "libdl")
            {
                return IntPtr.Zero;
            }

            Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary")!;
            MethodInfo tryLoad = nativeLibrary.GetMethod("TryLoad", new[] { typeof(string), typeof(IntPtr).MakeByRefType() })!;
            foreach (string name in new[] { "libdl.so.2", "libc.so.6" })
            {
                object[] args = { name, IntPtr.Zero };
                if ((bool)tryLoad.Invoke(null, args)!)
                {
                    return (IntPtr)args[1];
                }
            }

            return IntPtr.Zero;
        }
    }
}
