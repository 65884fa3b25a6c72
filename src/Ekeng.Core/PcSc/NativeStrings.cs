namespace Ekeng.PcSc
{
    /// <summary>String and buffer marshalling shared by the per-OS PC/SC bindings.</summary>
    internal static class NativeStrings
    {
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
