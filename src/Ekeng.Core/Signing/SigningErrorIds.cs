namespace Ekeng.Signing
{
    /// <summary>The stable error ids of signing and of signature checks (README's error table lists each).</summary>
    public static class SigningErrorIds
    {
        public const string InputNotFound = "SignInputNotFound";
        public const string InputUnreadable = "SignInputUnreadable";
        public const string InputUnsafe = "SignInputUnsafe";
        public const string InputTooLarge = "SignInputTooLarge";
        public const string PdfEncrypted = "PdfEncrypted";
        public const string PdfDamaged = "PdfDamaged";
        public const string OutputExists = "SignatureFileExists";
        public const string OutputWriteFailed = "SignatureWriteFailed";
        public const string CertificateExpired = "SigningCertificateExpired";
        public const string CertificateNotFound = "SigningCertificateNotFound";
        public const string NotASigningCertificate = "NotASigningCertificate";
        public const string KeyNotFound = "SigningKeyNotFound";
        public const string PinIncorrect = "SignPinIncorrect";
        public const string PinLocked = "SignPinLocked";
        public const string TokenFailed = "SigningTokenError";
        public const string SignatureNotFound = "SignatureNotFound";
        public const string TrustedRootUnreadable = Certificates.RootCertificateFile.TrustedRootUnreadable;
        public const string TimestampFailed = "TimestampFailed";
    }
}
