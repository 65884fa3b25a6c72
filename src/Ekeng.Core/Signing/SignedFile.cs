namespace Ekeng.Signing
{
    /// <summary>What New-EkengSignature wrote for one file.</summary>
    public sealed class SignedFile
    {
        internal SignedFile(string path, string signatureFile, SignatureKind kind, string? signerName, string? publicServiceNumber, DateTime signingTime, string? fieldName)
        {
            Path = path;
            SignatureFile = signatureFile;
            Kind = kind;
            SignerName = signerName;
            PublicServiceNumber = publicServiceNumber;
            SigningTime = signingTime;
            FieldName = fieldName;
        }

        /// <summary>The file signed.</summary>
        public string Path { get; }

        /// <summary>The signed PDF, or the detached .p7s.</summary>
        public string SignatureFile { get; }

        /// <summary>Pades (in the PDF) or Cades (detached .p7s).</summary>
        public SignatureKind Kind { get; }

        public string? SignerName { get; }

        /// <summary>The signer's public service number (ՀԾՀ).</summary>
        public string? PublicServiceNumber { get; }

        /// <summary>The claimed signing time (UTC): the PDF's /M, or the CMS signing-time attribute.</summary>
        public DateTime SigningTime { get; }

        /// <summary>The new PDF signature field, or null for a .p7s.</summary>
        public string? FieldName { get; }

        public override string ToString() => SignatureFile;
    }
}
