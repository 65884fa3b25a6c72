namespace Ekeng.Signing
{
    /// <summary>One signature as Test-EkengSignature reports it.</summary>
    public sealed class SignatureCheck
    {
        /// <summary>The signed file (the PDF, or the file a .p7s signs).</summary>
        public string Path { get; internal set; } = string.Empty;

        /// <summary>The .p7s file, or null for a PDF.</summary>
        public string? SignatureFile { get; internal set; }

        /// <summary>PAdES (a PDF's signature) or CAdES (a detached .p7s).</summary>
        public string Format { get; internal set; } = string.Empty;

        /// <summary>The PDF signature field's name (/T), or null.</summary>
        public string? FieldName { get; internal set; }

        public bool Valid => Reason == SignatureFailure.None;

        /// <summary>Why it is not valid: Integrity, Chain, Validity, Format (None when valid).</summary>
        public SignatureFailure Reason { get; internal set; }

        /// <summary>The details of a failure (which certificate, which check).</summary>
        public string? Detail { get; internal set; }

        /// <summary>The signer's name (Latin) as the module reads certificate subjects.</summary>
        public string? SignerName { get; internal set; }

        /// <summary>The signer's public service number (ՀԾՀ), when the subject carries one.</summary>
        public string? PublicServiceNumber { get; internal set; }

        public string? Subject { get; internal set; }

        public string? Issuer { get; internal set; }

        /// <summary>The claimed signing time: the PDF's /M, or the CMS signing-time attribute (UTC).</summary>
        public DateTime? SigningTime { get; internal set; }

        /// <summary>The RFC 3161 time-stamp's time (UTC), when the signature carries one.</summary>
        public DateTime? Timestamp { get; internal set; }

        /// <summary>For a PDF: whether this signature covers the whole file (false for an earlier signature of several).</summary>
        public bool? CoversWholeDocument { get; internal set; }

        public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; internal set; }

        public override string ToString() => Valid ? $"Valid: {SignerName ?? Subject}" : $"Not valid ({Reason}): {Detail}";
    }
}
