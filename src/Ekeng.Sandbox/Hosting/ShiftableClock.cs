namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// The sandbox's clock: the system's, plus an offset that only tests move forward (`--test-controls`,
/// `POST /sandbox/test/clock`). Code lifetimes, resend intervals, daily caps and payment sessions all read it,
/// so a test advances time instead of sleeping. TLS certificate checks by Kestrel keep the real time.
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward (never back: a code's expiry or a session cannot be undone).</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The sandbox clock only moves forward.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
