namespace Ekeng.Pkcs11
{
    /// <summary>
    /// A token's PIN state from C_GetTokenInfo: the user PIN flags and the SO (PUK) flags, and the PIN length bounds.
    /// </summary>
    public sealed class PinStatus
    {
        internal PinStatus(string tokenLabel, PinKind? kind, ulong flags, ulong minLength, ulong maxLength)
        {
            TokenLabel = tokenLabel;
            Kind = kind;
            Flags = flags;
            MinLength = ToLength(minLength, 0);
            // ulMaxPinLen 0 says nothing (no token takes a PIN of at most 0 characters): no upper bound.
            MaxLength = maxLength == 0 ? int.MaxValue : ToLength(maxLength, int.MaxValue);
        }

        /// <summary>The token label, e.g. <c>ARMID (AuthPIN)</c>.</summary>
        public string TokenLabel { get; }

        /// <summary>Auth or Sign, from the label; null for a token of another naming.</summary>
        public PinKind? Kind { get; }

        /// <summary>The raw CK_TOKEN_INFO flags.</summary>
        public ulong Flags { get; }

        public bool Initialized => Has(Pkcs11Flags.UserPinInitialized);

        public bool CountLow => Has(Pkcs11Flags.UserPinCountLow);

        public bool FinalTry => Has(Pkcs11Flags.UserPinFinalTry);

        public bool Locked => Has(Pkcs11Flags.UserPinLocked);

        public bool ToBeChanged => Has(Pkcs11Flags.UserPinToBeChanged);

        /// <summary>ulMinPinLen: the shortest PIN the token accepts.</summary>
        public int MinLength { get; }

        /// <summary>ulMaxPinLen: the longest PIN the token accepts; <see cref="int.MaxValue"/> when the token gives no bound (0 or unavailable).</summary>
        public int MaxLength { get; }

        public bool PukCountLow => Has(Pkcs11Flags.SoPinCountLow);

        public bool PukFinalTry => Has(Pkcs11Flags.SoPinFinalTry);

        public bool PukLocked => Has(Pkcs11Flags.SoPinLocked);

        public bool PukToBeChanged => Has(Pkcs11Flags.SoPinToBeChanged);

        /// <summary>The user PIN's state in one word.</summary>
        public PinState State =>
            Locked ? PinState.Locked
            : !Initialized ? PinState.NotInitialized
            : FinalTry ? PinState.FinalTry
            : CountLow ? PinState.CountLow
            : ToBeChanged ? PinState.ToBeChanged
            : PinState.Ready;

        /// <summary>The PUK's (SO PIN's) state in one word.</summary>
        public PinState PukState =>
            PukLocked ? PinState.Locked
            : PukFinalTry ? PinState.FinalTry
            : PukCountLow ? PinState.CountLow
            : PukToBeChanged ? PinState.ToBeChanged
            : PinState.Ready;

        /// <summary>What the token tells about the PUK's remaining tries, as a sentence.</summary>
        public string PukTriesText =>
            PukLocked ? "The token reports the PUK as LOCKED."
            : PukFinalTry ? "The token reports ONE try left before the PUK locks."
            : PukCountLow ? "The token reports that wrong PUK tries were counted (few tries left)."
            : "The token reports no wrong PUK tries counted.";

        /// <summary>What the token tells about the PIN's remaining tries, as a sentence.</summary>
        public string PinTriesText =>
            Locked ? "The token reports the PIN as LOCKED."
            : FinalTry ? "The token reports ONE try left before the PIN locks."
            : CountLow ? "The token reports that wrong PIN tries were counted (few tries left)."
            : "The token reports no wrong PIN tries counted.";

        /// <summary>Compact text for tables: the PIN state, and the PUK state when it is not Ready.</summary>
        public override string ToString() => PukState == PinState.Ready ? State.ToString() : $"{State} (PUK {PukState})";

        private bool Has(ulong flag) => (Flags & flag) != 0;

        private static int ToLength(ulong value, int unavailable)
        {
            // CK_UNAVAILABLE_INFORMATION is ~0; some modules report 0 for "no bound".
            if (value == ulong.MaxValue || value == uint.MaxValue || value > int.MaxValue)
            {
                return unavailable;
            }

            return (int)value;
        }
    }
}
