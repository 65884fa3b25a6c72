namespace Ekeng.Pkcs11
{
    /// <summary>CK_TOKEN_INFO flags (PKCS#11 2.40, pkcs11t.h).</summary>
    public static class Pkcs11Flags
    {
        public const ulong TokenInitialized = 0x400;
        public const ulong UserPinInitialized = 0x8;
        public const ulong UserPinCountLow = 0x10000;
        public const ulong UserPinFinalTry = 0x20000;
        public const ulong UserPinLocked = 0x40000;
        public const ulong UserPinToBeChanged = 0x80000;
        public const ulong SoPinCountLow = 0x100000;
        public const ulong SoPinFinalTry = 0x200000;
        public const ulong SoPinLocked = 0x400000;
        public const ulong SoPinToBeChanged = 0x800000;
    }
}
