using Net.Pkcs11Interop.Common;

namespace Ekeng.Pkcs11
{
    /// <summary>The name of a PKCS#11 return value, from Pkcs11Interop's <see cref="CKR"/> ("CKR_PIN_INCORRECT").</summary>
    internal static class CkrNames
    {
        public static string Name(ulong rv) => rv <= uint.MaxValue && Enum.IsDefined(typeof(CKR), (uint)rv) ? ((CKR)rv).ToString() : $"CKR 0x{rv:X8}";
    }
}
