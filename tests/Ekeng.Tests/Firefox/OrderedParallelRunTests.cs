using System.Collections.Concurrent;
using Ekeng.Firefox;

namespace Ekeng.Tests.Firefox;

/// <summary>
/// The runner that lets Set-/Remove-FirefoxCryptoModule overlap the fsyncs of many profiles: results in the targets'
/// order, confirmations answered on the calling thread only, and nothing left running or written once the caller stops.
/// </summary>
public sealed class OrderedParallelRunTests
{
    [Fact]
    public void Results_Come_Back_In_Order_And_Every_Confirmation_Is_Answered_On_The_Calling_Thread()
    {
        int caller = Environment.CurrentManagedThreadId;
        var workers = new ConcurrentDictionary<int, bool>();
        var asked = new List<string>();
        int[] targets = Enumerable.Range(0, 200).ToArray();

        List<string> results = OrderedParallelRun.Run(targets, 8, (t, ask) =>
        {
            workers[Environment.CurrentManagedThreadId] = true;
            Thread.Sleep(t % 7); // finish out of order
            return ask("file" + t, "write") ? "written " + t : "declined " + t;
        }, (target, _) =>
        {
            Assert.Equal(caller, Environment.CurrentManagedThreadId);
            asked.Add(target);
            return target != "file13";
        }).ToList();

        Assert.Equal(targets.Select(t => (t == 13 ? "declined " : "written ") + t), results);
        Assert.Equal(200, asked.Count);
        Assert.Equal(200, asked.Distinct().Count());
        Assert.DoesNotContain(caller, workers.Keys);
        Assert.True(workers.Count > 1, "the work ran on one thread only");
    }

    [Fact]
    public void A_Caller_That_Stops_Reading_Leaves_No_Work_Running_And_Nothing_More_Confirmed()
    {
        int running = 0;
        int started = 0;
        int confirmedAfterStop = 0;
        bool stopped = false;
        int[] targets = Enumerable.Range(0, 1000).ToArray();

        foreach (bool _ in OrderedParallelRun.Run(targets, 8, (t, ask) =>
        {
            Interlocked.Increment(ref started);
            Interlocked.Increment(ref running);
            try
            {
                Thread.Sleep(2);
                bool yes = ask("file" + t, "write");
                if (yes && Volatile.Read(ref stopped))
                {
                    Interlocked.Increment(ref confirmedAfterStop);
                }

                return yes;
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }, (_, _) => true).Take(5))
        {
        }

        Volatile.Write(ref stopped, true);
        Assert.Equal(0, Volatile.Read(ref running));
        int startedAtStop = Volatile.Read(ref started);
        Thread.Sleep(50);
        Assert.Equal(startedAtStop, Volatile.Read(ref started));
        Assert.True(startedAtStop < 1000, $"all {startedAtStop} targets were started after the caller stopped at 5");
        Assert.Equal(0, confirmedAfterStop);
    }

    [Fact]
    public void A_Confirmation_That_Throws_Ends_The_Run_On_The_Calling_Thread_And_Declines_The_Rest()
    {
        int written = 0;
        int[] targets = Enumerable.Range(0, 100).ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => OrderedParallelRun.Run(targets, 8, (t, ask) =>
        {
            if (ask("file" + t, "write"))
            {
                Interlocked.Increment(ref written);
            }

            return t;
        }, (target, _) => target == "file10" ? throw new InvalidOperationException("stopped") : true).ToList());

        Assert.Equal("stopped", e.Message);
        int after = Volatile.Read(ref written);
        Thread.Sleep(50);
        Assert.Equal(after, Volatile.Read(ref written));
        Assert.True(after < 100);
    }

    [Fact]
    public void A_Failing_Target_Fails_At_Its_Turn_With_Its_Own_Exception()
    {
        int[] targets = Enumerable.Range(0, 50).ToArray();
        var seen = new List<int>();
        var e = Assert.Throws<IOException>(() =>
        {
            foreach (int r in OrderedParallelRun.Run(targets, 4, (t, _) => t == 30 ? throw new IOException("disk") : t, (_, _) => true))
            {
                seen.Add(r);
            }
        });

        Assert.Equal("disk", e.Message);
        Assert.Equal(Enumerable.Range(0, 30), seen);
    }

    [Fact]
    public void One_Thread_Runs_On_The_Callers_Thread()
    {
        int caller = Environment.CurrentManagedThreadId;
        List<int> threads = OrderedParallelRun.Run(new[] { 1, 2, 3 }, 1, (_, _) => Environment.CurrentManagedThreadId, (_, _) => true).ToList();
        Assert.All(threads, id => Assert.Equal(caller, id));
    }
}
