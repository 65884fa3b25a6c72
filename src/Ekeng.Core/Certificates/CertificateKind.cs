namespace Ekeng.Certificates
{
    /// <summary>What a card certificate is for.</summary>
    public enum CertificateKind
    {
        /// <summary>Neither the token nor the key usage tells.</summary>
        Unknown,

        /// <summary>The authentication certificate (token <c>ARMID (AuthPIN)</c>; digitalSignature, client authentication).</summary>
        Authentication,

        /// <summary>The qualified signature certificate (token <c>ARMID (SignPIN)</c>; nonRepudiation).</summary>
        Signing,
    }
}
