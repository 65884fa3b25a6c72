using Ekeng.Diagnostics;

namespace Ekeng.Signing
{
    /// <summary>Signing files with the card and checking signatures (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class SigningErrors
    {
        public static readonly EkengError SignInputNotFound = new EkengError("SignInputNotFound", EkengErrorKind.ObjectNotFound, "Check the path of the file to sign or check.");

        public static readonly EkengError SignInputUnreadable = new EkengError("SignInputUnreadable", EkengErrorKind.ReadError, "Check the file's permissions.");

        public static readonly EkengError SignInputUnsafe = new EkengError("SignInputUnsafe", EkengErrorKind.SecurityError, "Give the path of the file itself.");

        public static readonly EkengError SignInputTooLarge = new EkengError("SignInputTooLarge", EkengErrorKind.LimitsExceeded, "Sign a smaller file: the limit is in the message.");

        public static readonly EkengError PdfEncrypted = new EkengError("PdfEncrypted", EkengErrorKind.InvalidData, "Sign a copy saved without encryption.");

        public static readonly EkengError PdfDamaged = new EkengError("PdfDamaged", EkengErrorKind.InvalidData, "Open it in a PDF reader and save a repaired copy, then sign that.");

        public static readonly EkengError SignatureFileExists = new EkengError("SignatureFileExists", EkengErrorKind.WriteError, "Choose another -OutFile/-OutputFolder, or replace it with -Force.");

        public static readonly EkengError SignatureWriteFailed = new EkengError("SignatureWriteFailed", EkengErrorKind.WriteError, "Check the output folder's permissions and free space.");

        public static readonly EkengError SigningCertificateExpired = new EkengError("SigningCertificateExpired", EkengErrorKind.InvalidOperation, "Renew the card's certificates at a service centre.");

        public static readonly EkengError SigningCertificateNotFound = new EkengError("SigningCertificateNotFound", EkengErrorKind.ObjectNotFound, "Check the card with Get-EkengCertificate -Kind Sign.");

        public static readonly EkengError NotASigningCertificate = new EkengError("NotASigningCertificate", EkengErrorKind.InvalidArgument, "Get-EkengCertificate -Kind Sign | New-EkengSignature ...");

        public static readonly EkengError SigningKeyNotFound = new EkengError("SigningKeyNotFound", EkengErrorKind.ObjectNotFound, "Check the card with Get-EkengCertificate -Kind Sign: its key must be on the same token.");

        public static readonly EkengError SignPinIncorrect = new EkengError("SignPinIncorrect", EkengErrorKind.AuthenticationError, "Check the SignPIN (Get-EkengCard shows the tries left) and run the command once more; it is never retried by itself.");

        public static readonly EkengError SignPinLocked = new EkengError("SignPinLocked", EkengErrorKind.SecurityError, "Unblock it with the PUK (Unblock-EkengPin -PinKind Sign).");

        public static readonly EkengError SigningTokenError = new EkengError("SigningTokenError", EkengErrorKind.DeviceError, "Check the card and the middleware; the PKCS#11 return code says what the token refused.");

        public static readonly EkengError SignatureNotFound = new EkengError("SignatureNotFound", EkengErrorKind.ObjectNotFound, "Name the signature with -SignatureFile, or check a signed file.");

        public static readonly EkengError TimestampFailed = new EkengError("TimestampFailed", EkengErrorKind.ConnectionError, "Check -TimestampServer (and -TrustedCaFile for an HTTPS server with a private CA), or sign without a time-stamp.");

        public static readonly EkengError InvalidTimestampServer = new EkengError("InvalidTimestampServer", EkengErrorKind.InvalidArgument, "Give the http:// or https:// address of an RFC 3161 time-stamping server.");

        public static readonly EkengError OutFileAndOutputFolder = new EkengError("OutFileAndOutputFolder", EkengErrorKind.InvalidArgument, "Give -OutFile or -OutputFolder, not both.");

        public static readonly EkengError OutFileWithSeveralInputs = new EkengError("OutFileWithSeveralInputs", EkengErrorKind.InvalidArgument, "Use -OutputFolder (or the default, next to each input) for several files.");

        public static readonly EkengError OutputFolderNotFound = new EkengError("OutputFolderNotFound", EkengErrorKind.ObjectNotFound, "Create the folder first, or name one that exists.");

        public static readonly EkengError DuplicateOutput = new EkengError("DuplicateOutput", EkengErrorKind.InvalidArgument, "Sign files of the same name from different folders in separate runs, or next to each input.");
    }
}
