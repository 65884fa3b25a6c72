using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Ekeng.PcSc
{
    /// <summary>What the per-OS SCARD_READERSTATE structs have in common.</summary>
    internal interface INativeReaderState
    {
        void Set(IntPtr reader, uint currentState);

        uint EventState { get; }

        byte[] CopyAtr();
    }

    /// <summary>Calls SCardGetStatusChange of one OS with a pinned array of its struct.</summary>
    internal unsafe delegate uint StatusChangeCall<T>(T* states, int count)
        where T : unmanaged;

    /// <summary>Marshalling shared by the per-OS PC/SC bindings.</summary>
    internal static class NativeStrings
    {
        /// <summary>
        /// Fills the OS's SCARD_READERSTATE array from <paramref name="states"/>, makes the call, and copies the
        /// event states and ATRs back; the reader names live in unmanaged memory only for the call.
        /// </summary>
        public static unsafe uint GetStatusChange<T>(ReaderStateEntry[] states, Func<string, IntPtr> marshalName, StatusChangeCall<T> call)
            where T : unmanaged, INativeReaderState
        {
            var native = new T[states.Length];
            var names = new IntPtr[states.Length];
            try
            {
                for (int i = 0; i < states.Length; i++)
                {
                    names[i] = marshalName(states[i].Reader);
                    native[i].Set(names[i], states[i].CurrentState);
                }

                uint rc;
                fixed (T* p = native)
                {
                    rc = call(p, native.Length);
                }

                for (int i = 0; i < states.Length; i++)
                {
                    states[i].EventState = native[i].EventState;
                    states[i].Atr = native[i].CopyAtr();
                }

                return rc;
            }
            finally
            {
                FreeAll(names);
            }
        }

        /// <summary>Copies the first <paramref name="length"/> bytes (at most <paramref name="max"/>) of a fixed ATR buffer.</summary>
        public static unsafe byte[] CopyAtr(byte* atr, long length, int max)
        {
            int n = (int)Math.Max(0, Math.Min(length, max));
            var result = new byte[n];
            Marshal.Copy((IntPtr)atr, result, 0, n);
            return result;
        }

        /// <summary>A NUL-terminated UTF-8 copy in unmanaged memory; free with <see cref="Marshal.FreeHGlobal"/>.</summary>
        public static IntPtr ToUtf8(string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            IntPtr p = Marshal.AllocHGlobal(bytes.Length + 1);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            Marshal.WriteByte(p, bytes.Length, 0);
            return p;
        }

        /// <summary>Splits a PC/SC multi-string ("a\0b\0\0") into its parts.</summary>
        public static string[] SplitMultiString(string multi)
        {
            var result = new List<string>();
            foreach (string part in multi.Split('\0'))
            {
                if (part.Length > 0)
                {
                    result.Add(part);
                }
            }

            return result.ToArray();
        }

        public static void FreeAll(IntPtr[] pointers)
        {
            foreach (IntPtr p in pointers)
            {
                if (p != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(p);
                }
            }
        }
    }
}
