namespace Ekeng.PcSc
{
    /// <summary>A reader and what PC/SC says about it right now.</summary>
    public sealed class ReaderStatus
    {
        public ReaderStatus(string reader, ReaderStateFlags flags, int eventCount, byte[] atr)
        {
            Reader = reader;
            Flags = flags;
            EventCount = eventCount;
            Atr = atr;
        }

        public string Reader { get; }
        public ReaderStateFlags Flags { get; }

        /// <summary>The event counter kept in the high word of dwEventState (card insertions and removals).</summary>
        public int EventCount { get; }
        public byte[] Atr { get; }
        public bool CardPresent => (Flags & ReaderStateFlags.Present) != 0 && (Flags & ReaderStateFlags.Mute) == 0;
    }
}
