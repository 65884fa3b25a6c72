namespace Ekeng.PcSc
{
    /// <summary>SCardGetStatusChange over the per-OS SCARD_READERSTATE structs, shared by the per-OS bindings.</summary>
    internal static class ReaderStateCall
    {
        /// <summary>
        /// Fills the OS's SCARD_READERSTATE array from <paramref name="states"/>, makes the call, and copies the
        /// event states and ATRs back; the reader names live in unmanaged memory only for the call.
        /// </summary>
        public static unsafe uint Invoke<T>(ReaderStateEntry[] states, Func<string, IntPtr> marshalName, StatusChangeCall<T> call)
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
                NativeStrings.FreeAll(names);
            }
        }
    }
}
