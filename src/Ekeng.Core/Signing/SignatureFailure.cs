namespace Ekeng.Signing
{
    /// <summary>Why a signature is not valid (None when it is).</summary>
    public enum SignatureFailure
    {
        None,

        /// <summary>The signed bytes changed, or the signature does not match the certificate's key.</summary>
        Integrity,

        /// <summary>The signer's certificate does not lead to a trusted root.</summary>
        Chain,

        /// <summary>A certificate of the chain was not valid at the signing time.</summary>
        Validity,

        /// <summary>The signature cannot be read (not CMS, no signer, a broken /ByteRange).</summary>
        Format,
    }
}
