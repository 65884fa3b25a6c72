using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;

namespace Ekeng.Signing
{
    /// <summary>Content to verify a detached signature against, read from a stream (never held whole in memory).</summary>
    internal sealed class StreamContent : CmsTypedData
    {
        private readonly Stream _content;

        public StreamContent(Stream content)
        {
            _content = content;
        }

        public DerObjectIdentifier ContentType => PkcsObjectIdentifiers.Data;

        public void Write(Stream outStream)
        {
            _content.CopyTo(outStream, 81920);
        }
    }
}
