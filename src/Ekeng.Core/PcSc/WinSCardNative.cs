namespace Ekeng.PcSc
{
    /// <summary>
    /// Windows winscard.dll, wide-character entry points: DWORD and LONG are 32-bit, the context and card
    /// handles are ULONG_PTR, and the ATR buffer of SCARD_READERSTATEW is 36 bytes; natural alignment.
    /// </summary>
    internal sealed unsafe class WinSCardNative : IPcScNative
    {
        internal const string Library = "winscard.dll";
        internal const int MaxAtrSize = 36;
        private const uint ScopeSystem = 2;
        private const uint ShareShared = 2;

        public string LibraryName => Library;

        [StructLayout(LayoutKind.Sequential)]
        internal struct ReaderState : INativeReaderState
        {
            public IntPtr Reader;
            public IntPtr UserData;
            public uint CurrentState;
            public uint EventState;
            public uint AtrLength;
            public fixed byte Atr[MaxAtrSize];

            uint INativeReaderState.EventState => (uint)EventState;

            public void Set(IntPtr reader, uint currentState)
            {
                Reader = reader;
                CurrentState = currentState;
            }

            public byte[] CopyAtr()
            {
                fixed (byte* atr = Atr)
                {
                    return NativeStrings.CopyAtr(atr, (long)AtrLength, MaxAtrSize);
                }
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct IoRequest
        {
            public uint Protocol;
            public uint PciLength;
        }

        public uint EstablishContext(out IntPtr context) => (uint)SCardEstablishContext(ScopeSystem, IntPtr.Zero, IntPtr.Zero, out context);

        public uint ReleaseContext(IntPtr context) => (uint)SCardReleaseContext(context);

        public uint Cancel(IntPtr context) => (uint)SCardCancel(context);

        public uint ListReaders(IntPtr context, out string[] readers)
        {
            readers = Array.Empty<string>();
            uint length = 0;
            uint rc = (uint)SCardListReadersW(context, null, null, ref length);
            if (rc != PcScResult.Success)
            {
                return rc;
            }

            char[] buffer = new char[length];
            fixed (char* p = buffer)
            {
                rc = (uint)SCardListReadersW(context, null, p, ref length);
            }

            if (rc == PcScResult.Success)
            {
                readers = NativeStrings.SplitMultiString(new string(buffer, 0, (int)length));
            }

            return rc;
        }

        public uint GetStatusChange(IntPtr context, uint timeoutMs, ReaderStateEntry[] states)
            => ReaderStateCall.Invoke<ReaderState>(states, Marshal.StringToHGlobalUni, (p, n) => (uint)SCardGetStatusChangeW(context, timeoutMs, p, (uint)n));

        public uint Connect(IntPtr context, string reader, uint preferredProtocols, out IntPtr card, out uint activeProtocol)
            => (uint)SCardConnectW(context, reader, ShareShared, preferredProtocols, out card, out activeProtocol);

        public uint Reconnect(IntPtr card, uint preferredProtocols, CardDisposition initialization, out uint activeProtocol)
            => (uint)SCardReconnect(card, ShareShared, preferredProtocols, (uint)initialization, out activeProtocol);

        public uint Disconnect(IntPtr card, CardDisposition disposition) => (uint)SCardDisconnect(card, (uint)disposition);

        public uint Transmit(IntPtr card, uint protocol, byte[] command, byte[] response, out int responseLength)
        {
            var pci = new IoRequest { Protocol = protocol, PciLength = (uint)sizeof(IoRequest) };
            uint length = (uint)response.Length;
            int rc;
            fixed (byte* send = command)
            fixed (byte* receive = response)
            {
                rc = SCardTransmit(card, &pci, send, (uint)command.Length, null, receive, ref length);
            }

            responseLength = (int)length;
            return (uint)rc;
        }

        [DllImport(Library)]
        private static extern int SCardEstablishContext(uint scope, IntPtr reserved1, IntPtr reserved2, out IntPtr context);

        [DllImport(Library)]
        private static extern int SCardReleaseContext(IntPtr context);

        [DllImport(Library)]
        private static extern int SCardCancel(IntPtr context);

        [DllImport(Library, CharSet = CharSet.Unicode)]
        private static extern int SCardListReadersW(IntPtr context, char* groups, char* readers, ref uint readersLength);

        [DllImport(Library, CharSet = CharSet.Unicode)]
        private static extern int SCardGetStatusChangeW(IntPtr context, uint timeout, ReaderState* states, uint count);

        [DllImport(Library, CharSet = CharSet.Unicode)]
        private static extern int SCardConnectW(IntPtr context, string reader, uint shareMode, uint preferredProtocols, out IntPtr card, out uint activeProtocol);

        [DllImport(Library)]
        private static extern int SCardReconnect(IntPtr card, uint shareMode, uint preferredProtocols, uint initialization, out uint activeProtocol);

        [DllImport(Library)]
        private static extern int SCardDisconnect(IntPtr card, uint disposition);

        [DllImport(Library)]
        private static extern int SCardTransmit(IntPtr card, IoRequest* sendPci, byte* send, uint sendLength, IoRequest* receivePci, byte* receive, ref uint receiveLength);
    }
}
