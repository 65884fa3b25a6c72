namespace Ekeng.PcSc
{
    /// <summary>A connection to the card in one reader (SCardConnect, shared mode).</summary>
    public sealed class PcScCard : IDisposable
    {
        private const int MaxResponse = 258;
        private const int MaxChainedResponses = 64;
        private readonly IPcScNative _native;
        private readonly ILogger _logger;
        private IntPtr _handle;

        internal PcScCard(IPcScNative native, IntPtr handle, uint protocol, string reader, ILogger logger)
        {
            _native = native;
            _handle = handle;
            Protocol = (CardProtocol)protocol;
            Reader = reader;
            _logger = logger;
        }

        public string Reader { get; }

        public CardProtocol Protocol { get; private set; }

        /// <summary>
        /// Sends a C-APDU and returns the complete R-APDU: on <c>61xx</c> it fetches the rest with GET RESPONSE
        /// (T=0 case 2/4), on <c>6Cxx</c> it sends the same command again with Le = xx. Never re-sends anything else.
        /// </summary>
        public ResponseApdu Transmit(byte[] command)
        {
            if (command is null || command.Length < 4)
            {
                throw new ArgumentException("A command APDU has at least four bytes (CLA INS P1 P2).", nameof(command));
            }

            ResponseApdu response = TransmitOnce(command);
            if (response.SW1 == 0x6C)
            {
                byte[] again = WithLe(command, response.SW2);
                _logger.LogDebug("Card asked for Le={Le:X2} (6C); sending the command again.", response.SW2);
                response = TransmitOnce(again);
            }

            if (response.SW1 != 0x61)
            {
                return response;
            }

            var data = new System.Collections.Generic.List<byte>(response.Data);
            for (int i = 0; i < MaxChainedResponses && response.SW1 == 0x61; i++)
            {
                _logger.LogDebug("Card has {Count} more byte(s) (61xx); sending GET RESPONSE.", response.SW2 == 0 ? 256 : response.SW2);
                response = TransmitOnce(new byte[] { (byte)(command[0] & 0x03), 0xC0, 0x00, 0x00, response.SW2 });
                data.AddRange(response.Data);
            }

            return new ResponseApdu(data.ToArray(), response.SW1, response.SW2);
        }

        /// <summary>Resets the card (warm reset, or a cold one with <see cref="CardDisposition.Unpower"/>) and reconnects.</summary>
        public void Reconnect(CardDisposition initialization)
        {
            uint rc = _native.Reconnect(Handle, PcScContext.AnyProtocol, initialization, out uint protocol);
            if (rc != PcScResult.Success)
            {
                throw PcScException.FromCode(rc, "SCardReconnect", Reader);
            }

            Protocol = (CardProtocol)protocol;
            _logger.LogDebug("Reconnected to '{Reader}' with {Initialization}; protocol {Protocol}.", Reader, initialization, Protocol);
        }

        public void Disconnect(CardDisposition disposition)
        {
            if (_handle == IntPtr.Zero)
            {
                return;
            }

            uint rc = _native.Disconnect(_handle, disposition);
            _handle = IntPtr.Zero;
            if (rc != PcScResult.Success && rc != PcScResult.InvalidHandle && rc != PcScResult.RemovedCard)
            {
                throw PcScException.FromCode(rc, "SCardDisconnect", Reader);
            }
        }

        public void Dispose()
        {
            if (_handle != IntPtr.Zero)
            {
                _native.Disconnect(_handle, CardDisposition.Leave);
                _handle = IntPtr.Zero;
            }
        }

        private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(PcScCard));

        private ResponseApdu TransmitOnce(byte[] command)
        {
            var buffer = new byte[MaxResponse];
            uint rc = _native.Transmit(Handle, (uint)Protocol, command, buffer, out int length);
            if (rc != PcScResult.Success)
            {
                throw PcScException.FromCode(rc, "SCardTransmit", Reader);
            }

            ResponseApdu response = ResponseApdu.Parse(buffer, length);
            _logger.LogDebug("APDU {Command} -> {Response}", Hex.Format(command), response);
            return response;
        }

        /// <summary>The same command with its Le set to <paramref name="le"/> (case 2: replace or append Le).</summary>
        internal static byte[] WithLe(byte[] command, byte le)
        {
            if (command.Length == 4)
            {
                return new byte[] { command[0], command[1], command[2], command[3], le };
            }

            if (command.Length == 5)
            {
                byte[] copy = (byte[])command.Clone();
                copy[4] = le;
                return copy;
            }

            int lc = command[4];
            byte[] result = new byte[5 + lc + 1];
            Array.Copy(command, result, Math.Min(command.Length, 5 + lc));
            result[result.Length - 1] = le;
            return result;
        }
    }
}
