using System;

namespace Ekeng.Signing
{
    /// <summary>What a PAdES signature dictionary says besides the signature: the claimed time (M), reason and location.</summary>
    internal sealed class PdfSignatureOptions
    {
        public DateTime SigningTime { get; set; } = DateTime.UtcNow;

        public string? Reason { get; set; }

        public string? Location { get; set; }

        /// <summary>Bytes reserved for the CMS in /Contents (twice as many hexadecimal digits are written).</summary>
        public int ReservedBytes { get; set; } = 16384;
    }
}
