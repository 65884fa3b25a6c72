using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Ekeng.Sandbox.Gateway;

/// <summary>
/// Test control (`--test-controls` only): a slow gateway on demand. A hold armed for an order makes the NEXT
/// getOrderStatusExtended.do of that order read the order, then wait before it answers until the test releases it
/// (later calls pass), so a test can make a poll that started before a payment finish after it: a lost-update test
/// that waits on events, not on sleeps.
/// </summary>
public sealed class StatusHolds
{
    private readonly ConcurrentDictionary<string, (TaskCompletionSource Reached, TaskCompletionSource Released, StrongBox<int> Claimed)> _holds =
        new(StringComparer.Ordinal);

    public void Arm(string orderId) =>
        _holds[orderId] = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new StrongBox<int>(0));

    /// <summary>Called by the gateway after it has read the order: the first call after Arm waits for the release.</summary>
    public async Task PassAsync(string orderId)
    {
        if (!_holds.TryGetValue(orderId, out var hold) || Interlocked.Exchange(ref hold.Claimed.Value, 1) != 0) return;
        hold.Reached.TrySetResult();
        try
        {
            await hold.Released.Task.WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Never released: answer anyway.
        }
    }

    /// <summary>Waits until the held status call has read the order; false when none did within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitReachedAsync(string orderId, TimeSpan timeout)
    {
        if (!_holds.TryGetValue(orderId, out var hold)) return false;
        try
        {
            await hold.Reached.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public bool Release(string orderId)
    {
        if (!_holds.TryRemove(orderId, out var hold)) return false;
        hold.Released.TrySetResult();
        return true;
    }
}
