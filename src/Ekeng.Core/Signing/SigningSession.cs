using System;
using Ekeng.Certificates;

namespace Ekeng.Signing
{
    /// <summary>A logged-in signing key with its certificate: one per command, for every file it signs.</summary>
    public sealed class SigningSession : IDisposable
    {
        internal SigningSession(EkengCertificate certificate, ISigningKey key)
        {
            Certificate = certificate;
            Key = key;
        }

        public EkengCertificate Certificate { get; }

        /// <summary>How many signatures this session made (each a C_Sign).</summary>
        public int Signatures { get; internal set; }

        internal ISigningKey Key { get; }

        public void Dispose() => Key.Dispose();
    }
}
