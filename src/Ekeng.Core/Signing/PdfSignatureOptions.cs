namespace Ekeng.Signing
{
    /// <summary>What a PAdES signature dictionary says besides the signature: the claimed time (M), reason and location.</summary>
    internal sealed class PdfSignatureOptions
    {
        public DateTime SigningTime { get; set; } = DateTime.UtcNow;

        public string? Reason { get; set; }

        public string? Location { get; set; }

        /// <summary>
        /// The lines of a visible signature (a framed box at the bottom left of the first page, Helvetica); null for an
        /// invisible one. Characters outside Latin-1 are shown as '?' (the standard font's encoding).
        /// </summary>
        public string[]? VisibleLines { get; set; }

        /// <summary>Bytes reserved for the CMS in /Contents (twice as many hexadecimal digits are written).</summary>
        public int ReservedBytes { get; set; } = 16384;
    }
}
