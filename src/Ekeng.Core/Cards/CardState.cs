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
}
