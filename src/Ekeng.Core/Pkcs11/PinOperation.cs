namespace Ekeng.Pkcs11
{
    /// <summary>What a PIN command does to a token.</summary>
    public enum PinOperation
    {
        /// <summary>Sets a PIN that was never set, with the PUK: C_Login(CKU_SO) + C_InitPIN.</summary>
        Activate,

        /// <summary>Changes a PIN with the current one: C_SetPIN.</summary>
        Change,

        /// <summary>Sets a new PIN for a locked or forgotten one, with the PUK: C_Login(CKU_SO) + C_InitPIN.</summary>
        Unblock,
    }
}
