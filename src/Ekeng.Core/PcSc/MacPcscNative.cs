namespace Ekeng.PcSc
{
    /// <summary>
    /// macOS PCSC.framework: DWORD is <c>uint32_t</c>, LONG and the context/card handles are <c>int32_t</c>,
    /// and the structs are packed (<c>#pragma pack(1)</c>); the ATR buffer is 33 bytes.
    /// </summary>
    internal sealed unsafe class MacPcscNative : IPcScNative
    {
        internal const string Library = "/System/Library/Frameworks/PCSC.framework/PCSC";
        internal const int MaxAtrSize = 33;
        private const uint ScopeSystem = 2;
        private const uint ShareShared = 2;

        public string LibraryName => Library;

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
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

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        internal struct IoRequest
        {
            public uint Protocol;
            public uint PciLength;
        }

        public uint EstablishContext(out IntPtr context)
        {
            int rc = SCardEstablishContext(ScopeSystem, IntPtr.Zero, IntPtr.Zero, out int ctx);
            context = (IntPtr)ctx;
            return (uint)rc;
        }

        public uint ReleaseContext(IntPtr context) => (uint)SCardReleaseContext((int)context);

        public uint Cancel(IntPtr context) => (uint)SCardCancel((int)context);

        public uint ListReaders(IntPtr context, out string[] readers)
        {
            readers = Array.Empty<string>();
            uint length = 0;
            uint rc = (uint)SCardListReaders((int)context, null, null, ref length);
            if (rc != PcScResult.Success)
            {
                return rc;
            }

            byte[] buffer = new byte[length];
            fixed (byte* p = buffer)
            {
                rc = (uint)SCardListReaders((int)context, null, p, ref length);
            }

            if (rc == PcScResult.Success)
            {
                readers = NativeStrings.SplitMultiString(Encoding.UTF8.GetString(buffer, 0, (int)length));
            }

            return rc;
        }

        public uint GetStatusChange(IntPtr context, uint timeoutMs, ReaderStateEntry[] states)
            => ReaderStateCall.Invoke<ReaderState>(states, NativeStrings.ToUtf8, (p, n) => (uint)SCardGetStatusChange((int)context, timeoutMs, p, (uint)n));

        public uint Connect(IntPtr context, string reader, uint preferredProtocols, out IntPtr card, out uint activeProtocol)
        {
            IntPtr name = NativeStrings.ToUtf8(reader);
            try
            {
                int rc = SCardConnect((int)context, name, ShareShared, preferredProtocols, out int handle, out activeProtocol);
                card = (IntPtr)handle;
                return (uint)rc;
            }
            finally
            {
                Marshal.FreeHGlobal(name);
            }
        }

        public uint Reconnect(IntPtr card, uint preferredProtocols, CardDisposition initialization, out uint activeProtocol)
            => (uint)SCardReconnect((int)card, ShareShared, preferredProtocols, (uint)initialization, out activeProtocol);

        public uint Disconnect(IntPtr card, CardDisposition disposition) => (uint)SCardDisconnect((int)card, (uint)disposition);

        public uint Transmit(IntPtr card, uint protocol, byte[] command, byte[] response, out int responseLength)
        {
            var pci = new IoRequest { Protocol = protocol, PciLength = (uint)sizeof(IoRequest) };
            uint length = (uint)response.Length;
            int rc;
            fixed (byte* send = command)
            fixed (byte* receive = response)
            {
                rc = SCardTransmit((int)card, &pci, send, (uint)command.Length, null, receive, ref length);
            }

            responseLength = (int)length;
            return (uint)rc;
        }

        [DllImport(Library)]
        private static extern int SCardEstablishContext(uint scope, IntPtr reserved1, IntPtr reserved2, out int context);

        [DllImport(Library)]
        private static extern int SCardReleaseContext(int context);

        [DllImport(Library)]
        private static extern int SCardCancel(int context);

        [DllImport(Library)]
        private static extern int SCardListReaders(int context, byte* groups, byte* readers, ref uint readersLength);

        [DllImport(Library)]
        private static extern int SCardGetStatusChange(int context, uint timeout, ReaderState* states, uint count);

        [DllImport(Library)]
        private static extern int SCardConnect(int context, IntPtr reader, uint shareMode, uint preferredProtocols, out int card, out uint activeProtocol);

        [DllImport(Library)]
        private static extern int SCardReconnect(int card, uint shareMode, uint preferredProtocols, uint initialization, out uint activeProtocol);

        [DllImport(Library)]
        private static extern int SCardDisconnect(int card, uint disposition);

        [DllImport(Library)]
        private static extern int SCardTransmit(int card, IoRequest* sendPci, byte* send, uint sendLength, IoRequest* receivePci, byte* receive, ref uint receiveLength);
    }
}
