namespace Ekeng.PcSc
{
    /// <summary>The transmission protocol negotiated with the card.</summary>
    public enum CardProtocol : uint
    {
        Undefined = 0,
        T0 = 1,
        T1 = 2,
    }
}
