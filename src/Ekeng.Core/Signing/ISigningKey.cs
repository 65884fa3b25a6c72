namespace Ekeng.Signing
{
    /// <summary>
    /// A private key on a token, logged in: it signs a PKCS#1 v1.5 DigestInfo (CKM_RSA_PKCS) and never leaves the
    /// token. Disposing it logs out and closes its session.
    /// </summary>
    internal interface ISigningKey : IDisposable
    {
        /// <summary>True when the key has CKA_ALWAYS_AUTHENTICATE: every signature is preceded by a context-specific login.</summary>
        bool AlwaysAuthenticate { get; }

        /// <summary>C_SignInit(CKM_RSA_PKCS) [+ C_Login(CKU_CONTEXT_SPECIFIC)] + C_Sign over <paramref name="digestInfo"/>.</summary>
        byte[] SignDigestInfo(byte[] digestInfo);
    }
}
