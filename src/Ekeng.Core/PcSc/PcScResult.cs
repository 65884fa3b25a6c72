namespace Ekeng.PcSc
{
    /// <summary>PC/SC return codes that the layer gives a meaning to (SCARD_* in winscard.h / pcsclite.h).</summary>
    public static class PcScResult
    {
        public const uint Success = 0x00000000;
        public const uint Cancelled = 0x80100002;
        public const uint InvalidHandle = 0x80100003;
        public const uint InvalidParameter = 0x80100004;
        public const uint NoMemory = 0x80100006;
        public const uint InsufficientBuffer = 0x80100008;
        public const uint UnknownReader = 0x80100009;
        public const uint Timeout = 0x8010000A;
        public const uint SharingViolation = 0x8010000B;
        public const uint NoSmartcard = 0x8010000C;
        public const uint ProtocolMismatch = 0x8010000F;
        public const uint ReaderUnavailable = 0x80100017;
        public const uint NoService = 0x8010001D;
        public const uint ServiceStopped = 0x8010001E;
        public const uint NoReadersAvailable = 0x8010002E;
        public const uint UnsupportedCard = 0x80100065;
        public const uint UnresponsiveCard = 0x80100066;
        public const uint UnpoweredCard = 0x80100067;
        public const uint ResetCard = 0x80100068;
        public const uint RemovedCard = 0x80100069;

        /// <summary>The SCARD_* name of a code, for messages.</summary>
        public static string Name(uint code)
        {
            switch (code)
            {
                case Success: return "SCARD_S_SUCCESS";
                case Cancelled: return "SCARD_E_CANCELLED";
                case InvalidHandle: return "SCARD_E_INVALID_HANDLE";
                case InvalidParameter: return "SCARD_E_INVALID_PARAMETER";
                case NoMemory: return "SCARD_E_NO_MEMORY";
                case InsufficientBuffer: return "SCARD_E_INSUFFICIENT_BUFFER";
                case UnknownReader: return "SCARD_E_UNKNOWN_READER";
                case Timeout: return "SCARD_E_TIMEOUT";
                case SharingViolation: return "SCARD_E_SHARING_VIOLATION";
                case NoSmartcard: return "SCARD_E_NO_SMARTCARD";
                case ProtocolMismatch: return "SCARD_E_PROTO_MISMATCH";
                case ReaderUnavailable: return "SCARD_E_READER_UNAVAILABLE";
                case NoService: return "SCARD_E_NO_SERVICE";
                case ServiceStopped: return "SCARD_E_SERVICE_STOPPED";
                case NoReadersAvailable: return "SCARD_E_NO_READERS_AVAILABLE";
                case UnsupportedCard: return "SCARD_W_UNSUPPORTED_CARD";
                case UnresponsiveCard: return "SCARD_W_UNRESPONSIVE_CARD";
                case UnpoweredCard: return "SCARD_W_UNPOWERED_CARD";
                case ResetCard: return "SCARD_W_RESET_CARD";
                case RemovedCard: return "SCARD_W_REMOVED_CARD";
                default: return "0x" + code.ToString("X8");
            }
        }
    }
}
