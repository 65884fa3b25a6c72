using System;

namespace Ekeng.Cards
{
    /// <summary>What a reader holds, in words a help desk uses.</summary>
    public enum CardState
    {
        /// <summary>The reader is empty.</summary>
        Absent,

        /// <summary>A card is inserted and nobody is using it.</summary>
        Present,

        /// <summary>A card is inserted and another program has a shared connection to it.</summary>
        InUse,

        /// <summary>Another program holds the card exclusively.</summary>
        Exclusive,

        /// <summary>A card is inserted but does not answer (wrong way round, broken contacts).</summary>
        Mute,

        /// <summary>The reader is known but not usable now.</summary>
        Unavailable,

        /// <summary>PC/SC could not tell.</summary>
        Unknown,
    }

    /// <summary>
    /// An ARMID card as the module sees it: its PC/SC reader and ATR. The PKCS#11 side (tokens, PIN state)
    /// hangs on the same object.
    /// </summary>
    public sealed class EkengCard
    {
        public EkengCard(string? reader, CardState state, byte[] atr)
        {
            Reader = reader;
            State = state;
            AtrBytes = atr ?? Array.Empty<byte>();
        }

        /// <summary>The PC/SC reader name, or null when the card is known only through PKCS#11.</summary>
        public string? Reader { get; }

        public CardState State { get; }

        public bool CardPresent => State != CardState.Absent && State != CardState.Unavailable && State != CardState.Unknown;

        /// <summary>The Answer To Reset, hexadecimal, no separators (empty when no card).</summary>
        public string Atr => Ekeng.PcSc.Hex.Format(AtrBytes);

        internal byte[] AtrBytes { get; }

        /// <summary>True when the ATR is one of the ARMID card's (see <see cref="ArmidAtr"/>).</summary>
        public bool IsArmid => AtrBytes.Length > 0 && ArmidAtr.Matches(AtrBytes);

        public override string ToString() => Reader ?? "(no reader)";
    }
}
