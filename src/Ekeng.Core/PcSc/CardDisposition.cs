namespace Ekeng.PcSc
{
    /// <summary>What to do with the card on reconnect or disconnect.</summary>
    public enum CardDisposition : uint
    {
        Leave = 0,
        Reset = 1,
        Unpower = 2,
        Eject = 3,
    }
}
