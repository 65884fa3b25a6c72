using System.Runtime.InteropServices;
using System.Text;

namespace Ekeng.Tls
{
    /// <summary>The few OpenSSL 3 ENGINE and error-queue functions .NET does not wrap (libcrypto.so.3, the one .NET itself uses).</summary>
    internal static unsafe class LibCrypto
    {
        private const string Lib = "libcrypto.so.3";

        [DllImport(Lib, EntryPoint = "ENGINE_by_id", CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr EngineById([MarshalAs(UnmanagedType.LPUTF8Str)] string id);

        [DllImport(Lib, EntryPoint = "ENGINE_ctrl_cmd_string", CallingConvention = CallingConvention.Cdecl)]
        internal static extern int EngineCtrlCmdString(IntPtr engine, [MarshalAs(UnmanagedType.LPUTF8Str)] string command, [MarshalAs(UnmanagedType.LPUTF8Str)] string? argument, int optional);

        [DllImport(Lib, EntryPoint = "UI_create_method", CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr UiCreateMethod([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

        [DllImport(Lib, EntryPoint = "UI_method_set_opener", CallingConvention = CallingConvention.Cdecl)]
        internal static extern int UiMethodSetOpener(IntPtr method, delegate* unmanaged[Cdecl]<IntPtr, int> opener);

        [DllImport(Lib, EntryPoint = "ENGINE_init", CallingConvention = CallingConvention.Cdecl)]
        internal static extern int EngineInit(IntPtr engine);

        [DllImport(Lib, EntryPoint = "ENGINE_free", CallingConvention = CallingConvention.Cdecl)]
        internal static extern int EngineFree(IntPtr engine);

        [DllImport(Lib, EntryPoint = "ENGINE_load_private_key", CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr EngineLoadPrivateKey(IntPtr engine, [MarshalAs(UnmanagedType.LPUTF8Str)] string keyId, IntPtr uiMethod, IntPtr callbackData);

        [DllImport(Lib, EntryPoint = "ERR_get_error", CallingConvention = CallingConvention.Cdecl)]
        internal static extern nuint ErrGetError();

        [DllImport(Lib, EntryPoint = "ERR_error_string_n", CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ErrErrorStringN(nuint error, byte* buffer, nuint length);

        [DllImport(Lib, EntryPoint = "ERR_clear_error", CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ErrClearError();

        /// <summary>Empties OpenSSL's error queue of this thread, returning its messages (oldest first).</summary>
        internal static string DrainErrors()
        {
            var text = new StringBuilder();
            byte* buffer = stackalloc byte[256];
            nuint error;
            while ((error = ErrGetError()) != 0)
            {
                ErrErrorStringN(error, buffer, 256);
                if (text.Length > 0)
                {
                    text.Append("; ");
                }

                text.Append(Marshal.PtrToStringUTF8((IntPtr)buffer));
            }

            return text.ToString();
        }
    }
}
