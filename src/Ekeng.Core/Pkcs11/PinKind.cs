namespace Ekeng.Pkcs11
{
    /// <summary>The two PINs of an ARMID card, named after their PKCS#11 virtual slots.</summary>
    public enum PinKind
    {
        /// <summary><c>ARMID (AuthPIN)</c>: the PIN of the authentication key (logging in, TLS client certificate).</summary>
        Auth,

        /// <summary><c>ARMID (SignPIN)</c>: the PIN of the qualified signature key.</summary>
        Sign,
    }
}
