using Ekeng.Diagnostics;

namespace Ekeng.PcSc
{
    /// <summary>The smart card service (PC/SC) and its readers (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class PcScErrors
    {
        public static readonly EkengError PcscServiceUnavailable = new EkengError("PcscServiceUnavailable", EkengErrorKind.ResourceUnavailable, "Start the smart card service: 'systemctl start pcscd' (Linux), 'Start-Service SCardSvr' (Windows).", CommandEnding.Environment);

        public static readonly EkengError PcscLibraryNotFound = new EkengError("PcscLibraryNotFound", EkengErrorKind.NotInstalled, "Install PC/SC: 'apt-get install pcscd libpcsclite1' (Debian/Ubuntu), 'dnf install pcsc-lite' (Fedora).", CommandEnding.Environment);

        public static readonly EkengError PcscTimeout = new EkengError("PcscTimeout", EkengErrorKind.OperationTimeout, "Insert the ID card, or wait longer with -Timeout.");

        public static readonly EkengError PcscCancelled = new EkengError("PcscCancelled", EkengErrorKind.OperationStopped, "Run the command again when the card is ready.");

        public static readonly EkengError CardNotPresent = new EkengError("CardNotPresent", EkengErrorKind.ObjectNotFound, "Insert the ID card into the reader and try again.");

        public static readonly EkengError ReaderNotFound = new EkengError("ReaderNotFound", EkengErrorKind.ObjectNotFound, "List the readers with Get-EkengCard.");

        public static readonly EkengError CardInUse = new EkengError("CardInUse", EkengErrorKind.ResourceBusy, "Close the program that holds the card exclusively, then try again.");

        public static readonly EkengError CardUnresponsive = new EkengError("CardUnresponsive", EkengErrorKind.DeviceError, "Check that the card is inserted the right way round and its contacts are clean.");

        public static readonly EkengError PcscError = new EkengError("PcscError", EkengErrorKind.DeviceError, "Check the reader and the smart card service; the SCARD_ code in the message says what failed.");

        public static readonly EkengError MalformedResponse = new EkengError("MalformedResponse", EkengErrorKind.ProtocolError, "Remove the card and insert it again; if it repeats, try another reader.");
    }
}
