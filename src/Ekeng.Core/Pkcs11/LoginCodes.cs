using Net.Pkcs11Interop.Common;

namespace Ekeng.Pkcs11
{
    /// <summary>What a C_Login's return code says of the PIN: one reading for every login (the card login, the signing login).</summary>
    internal static class LoginCodes
    {
        /// <summary>The token refused the PIN itself: wrong, or of a length or characters it does not take; the try counts.</summary>
        public static bool IsWrongPin(CKR rv) => rv == CKR.CKR_PIN_INCORRECT || rv == CKR.CKR_PIN_LEN_RANGE || rv == CKR.CKR_PIN_INVALID;
    }
}
