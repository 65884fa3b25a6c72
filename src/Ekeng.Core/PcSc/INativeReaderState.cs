namespace Ekeng.PcSc
{
    /// <summary>What the per-OS SCARD_READERSTATE structs have in common.</summary>
    internal interface INativeReaderState
    {
        void Set(IntPtr reader, uint currentState);

        uint EventState { get; }

        byte[] CopyAtr();
    }
}
