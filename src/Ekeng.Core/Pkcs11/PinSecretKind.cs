namespace Ekeng.Pkcs11
{
    /// <summary>Which secret <see cref="PinService.ValidateSecret"/> checks: it names the error ids and the messages.</summary>
    public enum PinSecretKind
    {
        /// <summary>The current PIN of a change (C_SetPIN).</summary>
        CurrentPin,

        /// <summary>The PUK (the SO PIN of C_Login(CKU_SO)).</summary>
        Puk,
    }
}
