namespace Ekeng.PcSc
{
    /// <summary>One reader's entry for SCardGetStatusChange, independent of the OS struct layout.</summary>
    public sealed class ReaderStateEntry
    {
        public ReaderStateEntry(string reader, uint currentState)
        {
            Reader = reader;
            CurrentState = currentState;
        }

        public string Reader { get; }

        /// <summary>What the caller believes (dwCurrentState, including the event counter in the high word).</summary>
        public uint CurrentState { get; set; }

        /// <summary>What PC/SC reports (dwEventState).</summary>
        public uint EventState { get; set; }

        public byte[] Atr { get; set; } = Array.Empty<byte>();
    }
}
