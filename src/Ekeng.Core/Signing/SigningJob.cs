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
    }
}
