namespace Ekeng.PcSc
{
    /// <summary>
    /// pcsc-lite on Linux and the BSDs: DWORD is <c>unsigned long</c> and LONG is <c>long</c>, so both are
    /// pointer-sized (64-bit on x64); the ATR buffer of SCARD_READERSTATE is 33 bytes; natural alignment.
    /// </summary>
    internal sealed unsafe class PcscLiteNative : IPcScNative
    {
        internal const string Library = "libpcsclite.so.1";
        internal const int MaxAtrSize = 33;
        private const uint ScopeSystem = 2;
        private const uint ShareShared = 2;

        public string LibraryName => Library;

        [StructLayout(LayoutKind.Sequential)]
        internal struct ReaderState : INativeReaderState
        {
            public IntPtr Reader;
            public IntPtr UserData;
            public nuint CurrentState;
            public nuint EventState;
            public nuint AtrLength;
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
            public nuint Protocol;
            public nuint PciLength;
        }

        public uint EstablishContext(out IntPtr context)
        {
            nint rc = SCardEstablishContext(ScopeSystem, IntPtr.Zero, IntPtr.Zero, out nint ctx);
            context = ctx;
            return (uint)rc;
        }

        public uint ReleaseContext(IntPtr context) => (uint)SCardReleaseContext(context);

        public uint Cancel(IntPtr context) => (uint)SCardCancel(context);

        public uint ListReaders(IntPtr context, out string[] readers)
        {
            readers = Array.Empty<string>();
            nuint length = 0;
            uint rc = (uint)SCardListReaders(context, null, null, ref length);
            if (rc != PcScResult.Success)
            {
                return rc;
            }

            byte[] buffer = new byte[(int)length];
            fixed (byte* p = buffer)
            {
                rc = (uint)SCardListReaders(context, null, p, ref length);
            }

            if (rc == PcScResult.Success)
            {
                readers = NativeStrings.SplitMultiString(Encoding.UTF8.GetString(buffer, 0, (int)length));
            }

            return rc;
        }

        public uint GetStatusChange(IntPtr context, uint timeoutMs, ReaderStateEntry[] states)
            => ReaderStateCall.Invoke<ReaderState>(states, NativeStrings.ToUtf8, (p, n) => (uint)SCardGetStatusChange(context, timeoutMs, p, (nuint)n));

        public uint Connect(IntPtr context, string reader, uint preferredProtocols, out IntPtr card, out uint activeProtocol)
        {
            IntPtr name = NativeStrings.ToUtf8(reader);
            try
            {
                nint rc = SCardConnect(context, name, ShareShared, preferredProtocols, out nint handle, out nuint protocol);
                card = handle;
                activeProtocol = (uint)protocol;
                return (uint)rc;
            }
            finally
            {
                Marshal.FreeHGlobal(name);
            }
        }

        public uint Reconnect(IntPtr card, uint preferredProtocols, CardDisposition initialization, out uint activeProtocol)
        {
            nint rc = SCardReconnect(card, ShareShared, preferredProtocols, (uint)initialization, out nuint protocol);
            activeProtocol = (uint)protocol;
            return (uint)rc;
        }

        public uint Disconnect(IntPtr card, CardDisposition disposition) => (uint)SCardDisconnect(card, (uint)disposition);

        public uint Transmit(IntPtr card, uint protocol, byte[] command, byte[] response, out int responseLength)
        {
            var pci = new IoRequest { Protocol = protocol, PciLength = (nuint)sizeof(IoRequest) };
            nuint length = (nuint)response.Length;
            nint rc;
            fixed (byte* send = command)
            fixed (byte* receive = response)
            {
                rc = SCardTransmit(card, &pci, send, (nuint)command.Length, null, receive, ref length);
            }

            responseLength = (int)length;
            return (uint)rc;
        }

        [DllImport(Library)]
        private static extern nint SCardEstablishContext(nuint scope, IntPtr reserved1, IntPtr reserved2, out nint context);

        [DllImport(Library)]
        private static extern nint SCardReleaseContext(nint context);

        [DllImport(Library)]
        private static extern nint SCardCancel(nint context);

        [DllImport(Library)]
        private static extern nint SCardListReaders(nint context, byte* groups, byte* readers, ref nuint readersLength);

        [DllImport(Library)]
        private static extern nint SCardGetStatusChange(nint context, nuint timeout, ReaderState* states, nuint count);

        [DllImport(Library)]
        private static extern nint SCardConnect(nint context, IntPtr reader, nuint shareMode, nuint preferredProtocols, out nint card, out nuint activeProtocol);

        [DllImport(Library)]
        private static extern nint SCardReconnect(nint card, nuint shareMode, nuint preferredProtocols, nuint initialization, out nuint activeProtocol);

        [DllImport(Library)]
        private static extern nint SCardDisconnect(nint card, nuint disposition);

        [DllImport(Library)]
        private static extern nint SCardTransmit(nint card, IoRequest* sendPci, byte* send, nuint sendLength, IoRequest* receivePci, byte* receive, ref nuint receiveLength);
    }
}
