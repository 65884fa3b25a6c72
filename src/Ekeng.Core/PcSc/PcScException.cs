using Ekeng.Diagnostics;

namespace Ekeng.PcSc
{
    /// <summary>A PC/SC failure with its SCARD_* code and a stable error id.</summary>
    public sealed class PcScException : EkengException
    {
        public PcScException(EkengError error, uint code, string message)
            : base(error, message)
        {
            Code = code;
        }

        /// <summary>The SCARD_* return code.</summary>
        public uint Code { get; }

        /// <summary>Maps a PC/SC return code of <paramref name="operation"/> to a clear error.</summary>
        public static PcScException FromCode(uint code, string operation, string? reader = null)
        {
            string name = PcScResult.Name(code);
            string where = reader is null ? string.Empty : $" on reader '{reader}'";
            PcScException error;
            switch (code)
            {
                case PcScResult.NoService:
                case PcScResult.ServiceStopped:
                    error = new PcScException(PcScErrors.PcscServiceUnavailable, code,
                        $"The smart card service is not running or cannot be reached ({name} from {operation}).");
                    error.RecommendedAction = "Start the smart card service: 'systemctl start pcscd' (Linux), 'Start-Service SCardSvr' (Windows).";
                    break;
                case PcScResult.Timeout:
                    error = new PcScException(PcScErrors.PcscTimeout, code, $"The smart card operation timed out{where} ({name} from {operation}).");
                    break;
                case PcScResult.Cancelled:
                    error = new PcScException(PcScErrors.PcscCancelled, code, $"The smart card operation was cancelled{where}.");
                    break;
                case PcScResult.NoSmartcard:
                case PcScResult.RemovedCard:
                    error = new PcScException(PcScErrors.CardNotPresent, code, $"No card is present{where} ({name} from {operation}).");
                    error.RecommendedAction = "Insert the ID card into the reader and try again.";
                    break;
                case PcScResult.UnknownReader:
                case PcScResult.ReaderUnavailable:
                    error = new PcScException(PcScErrors.ReaderNotFound, code, $"The card reader is not available{where} ({name} from {operation}).");
                    break;
                case PcScResult.SharingViolation:
                    error = new PcScException(PcScErrors.CardInUse, code, $"Another program holds the card exclusively{where} ({name} from {operation}).");
                    break;
                case PcScResult.UnresponsiveCard:
                case PcScResult.UnpoweredCard:
                case PcScResult.UnsupportedCard:
                    error = new PcScException(PcScErrors.CardUnresponsive, code, $"The card does not answer{where} ({name} from {operation}). Check that it is inserted the right way round.");
                    break;
                default:
                    error = new PcScException(PcScErrors.PcscError, code, $"The smart card service reported {name} from {operation}{where}.");
                    break;
            }

            error.TargetObject = reader;
            return error;
        }
    }
}
