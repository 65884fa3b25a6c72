namespace Ekeng.Pkcs11
{
    /// <summary>
    /// The narrow boundary between the services and a PKCS#11 library: everything the module asks of a token.
    /// The real implementation is <see cref="InteropPkcs11Module"/> (Pkcs11Interop); tests put a fake here only
    /// to reach token states SoftHSM never reports (FINAL_TRY, LOCKED).
    /// Secrets cross it as UTF-8 byte arrays owned (and zeroed) by the caller.
    /// </summary>
    internal interface IPkcs11Module : IDisposable
    {
        string Path { get; }

        /// <summary>C_GetSlotList(tokenPresent) + C_GetSlotInfo + C_GetTokenInfo: the initialised tokens.</summary>
        IReadOnlyList<Pkcs11Token> GetTokens();

        /// <summary>
        /// C_GetTokenInfo on the slot of <paramref name="known"/>: the same token as it is now, or null when that
        /// slot no longer holds it. Reading a few known tokens again costs one call each, not a full enumeration.
        /// </summary>
        Pkcs11Token? ReadToken(Pkcs11Token known);

        /// <summary>R/W session, C_Login(CKU_SO, puk), C_InitPIN(newPin), C_Logout.</summary>
        void InitPin(ulong slotId, byte[] puk, byte[] newPin);

        /// <summary>R/W public session, C_SetPIN(currentPin, newPin).</summary>
        void SetPin(ulong slotId, byte[] currentPin, byte[] newPin);

        /// <summary>Public session (no login): the CKA_VALUE, CKA_LABEL and CKA_ID of every X.509 certificate object.</summary>
        IReadOnlyList<Pkcs11CertificateObject> GetCertificates(ulong slotId);
    }
}
