namespace Ekeng.PcSc
{
    /// <summary>Calls SCardGetStatusChange of one OS with a pinned array of its struct.</summary>
    internal unsafe delegate uint StatusChangeCall<T>(T* states, int count)
        where T : unmanaged;
}
