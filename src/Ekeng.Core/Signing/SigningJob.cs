namespace Ekeng.Signing
{
    /// <summary>One file checked and ready to sign (nothing on the token yet): its kind, where the result goes.</summary>
    public sealed class SigningJob
    {
        internal SigningJob(string path, string outputPath, SignatureKind kind, byte[]? pdf, bool force)
        {
            Path = path;
            OutputPath = outputPath;
            Kind = kind;
            Pdf = pdf;
            Force = force;
        }

        public string Path { get; }

        public string OutputPath { get; }

        public SignatureKind Kind { get; }

        internal byte[]? Pdf { get; }

        internal bool Force { get; }

        internal PreparedPdf? Prepared { get; set; }

        /// <summary>The PDF signature's options (time, reason, location, visible lines).</summary>
        internal PdfSignatureOptions? PdfOptions { get; set; }

        /// <summary>A visible PDF signature: its box names the signer, known once the card is read.</summary>
        public bool Visible { get; internal set; }
    }
}
