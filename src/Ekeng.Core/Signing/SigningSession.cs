using Ekeng.Certificates;

namespace Ekeng.Signing
{
    /// <summary>A logged-in signing key with its certificate: one per command, for every file it signs.</summary>
    public sealed class SigningSession : IDisposable
    {
        internal SigningSession(EkengCertificate certificate, ISigningKey key, TimestampClient? timestamps = null)
        {
            Certificate = certificate;
            Key = key;
            Timestamps = timestamps;
        }

        public EkengCertificate Certificate { get; }

        /// <summary>How many signatures this session made (each a C_Sign).</summary>
        public int Signatures { get; internal set; }

        internal ISigningKey Key { get; }

        /// <summary>The RFC 3161 server each signature is time-stamped by (B-T), or null (B-B).</summary>
        internal TimestampClient? Timestamps { get; }

        public void Dispose()
        {
            Timestamps?.Dispose();
            Key.Dispose();
        }
    }
}
