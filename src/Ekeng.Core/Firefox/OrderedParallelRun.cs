using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>
    /// Runs one piece of work per target on up to <c>degree</c> threads, for work that mostly waits on the disk (each
    /// profile's pkcs11.txt made durable before its rename, then the rename: the writes waiting at once share one
    /// sync, <see cref="CryptoModuleService.GroupCommit"/>). The results come back IN THE TARGETS' ORDER on the calling thread, which also answers every
    /// <see cref="Confirmation"/> a worker asks (PowerShell's ShouldProcess may only run on the pipeline thread): a
    /// worker waits for its answer. Each target's own work is unchanged (its folder lock, its checks, its syncs).
    /// When the caller stops reading (an error, Ctrl+C), no further target is started, every confirmation still asked
    /// is answered "no" (nothing more is written), and the workers are waited for before the call returns.
    /// </summary>
    public static class OrderedParallelRun
    {
        /// <summary>The threads used for many profiles: they mostly wait on the disk (measured here over 1,000 profiles: 4, 8, 16 and 32 threads, 32 fastest); a fixed bound, whatever the number of profiles.</summary>
        public const int DefaultDegree = 32;

        /// <summary>
        /// The results of <paramref name="work"/> on each target, in order. <paramref name="confirm"/> is only ever called
        /// on the thread that enumerates. With <paramref name="degree"/> 1 (or one target) the work runs on that thread.
        /// </summary>
        public static IEnumerable<TResult> Run<TTarget, TResult>(IReadOnlyList<TTarget> targets, int degree, Func<TTarget, Confirmation, TResult> work, Confirmation confirm)
        {
            if (targets is null)
            {
                throw new ArgumentNullException(nameof(targets));
            }

            if (work is null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            if (confirm is null)
            {
                throw new ArgumentNullException(nameof(confirm));
            }

            return degree <= 1 || targets.Count <= 1 ? Sequential(targets, work, confirm) : Parallel(targets, Math.Min(degree, targets.Count), work, confirm);
        }

        private static IEnumerable<TResult> Sequential<TTarget, TResult>(IReadOnlyList<TTarget> targets, Func<TTarget, Confirmation, TResult> work, Confirmation confirm)
        {
            foreach (TTarget target in targets)
            {
                yield return work(target, confirm);
            }
        }

        private static IEnumerable<TResult> Parallel<TTarget, TResult>(IReadOnlyList<TTarget> targets, int degree, Func<TTarget, Confirmation, TResult> work, Confirmation confirm)
        {
            var state = new RunState<TResult>(targets.Count);
            var threads = new List<Thread>(degree);
            try
            {
                for (int t = 0; t < degree; t++)
                {
                    var thread = new Thread(() => Worker(targets, work, state)) { IsBackground = true, Name = "Ekeng profile writer" };
                    threads.Add(thread);
                    thread.Start();
                }

                for (int next = 0; next < targets.Count; next++)
                {
                    // Answer the workers' questions until the next result in order is there.
                    while (!state.Done[next])
                    {
                        Request request = state.Inbox.Take();
                        request.Answer(confirm);
                    }

                    state.Errors[next]?.Throw();
                    TResult result = state.Results[next];
                    state.Results[next] = default!;
                    yield return result;
                }
            }
            finally
            {
                // Stopped early (or finished): no new target starts, every open question is answered "no", workers end.
                state.Stopping = true;
                while (threads.Exists(t => t.IsAlive))
                {
                    while (state.Inbox.TryTake(out Request? pending))
                    {
                        pending.Refuse();
                    }

                    foreach (Thread thread in threads)
                    {
                        thread.Join(10);
                    }
                }

                while (state.Inbox.TryTake(out Request? left))
                {
                    left.Refuse();
                }
            }
        }

        private static void Worker<TTarget, TResult>(IReadOnlyList<TTarget> targets, Func<TTarget, Confirmation, TResult> work, RunState<TResult> state)
        {
            Confirmation ask = (target, action) =>
            {
                if (state.Stopping)
                {
                    return false;
                }

                var request = new Request(target, action);
                state.Inbox.Add(request);
                return request.Wait();
            };

            while (!state.Stopping)
            {
                int index = Interlocked.Increment(ref state.Next);
                if (index >= targets.Count)
                {
                    break;
                }

                try
                {
                    state.Results[index] = work(targets[index], ask);
                }
                catch (Exception e)
                {
                    state.Errors[index] = ExceptionDispatchInfo.Capture(e);
                }

                Volatile.Write(ref state.Done[index], true);

                // Wakes the calling thread, which may be waiting for this very result.
                state.Inbox.Add(Request.Wake);
            }
        }

        private sealed class RunState<TResult>
        {
            public RunState(int count)
            {
                Results = new TResult[count];
                Errors = new ExceptionDispatchInfo?[count];
                Done = new bool[count];
            }

            public readonly TResult[] Results;
            public readonly ExceptionDispatchInfo?[] Errors;
            public readonly bool[] Done;
            public readonly BlockingCollection<Request> Inbox = new BlockingCollection<Request>();
            public int Next = -1;
            public volatile bool Stopping;
        }

        /// <summary>A worker's question for the calling thread (or, with no target, a wake-up after a result).</summary>
        private sealed class Request
        {
            public static readonly Request Wake = new Request(null, null);

            private readonly string? _target;
            private readonly string? _action;
            private readonly ManualResetEventSlim _answered = new ManualResetEventSlim(false);
            private bool _yes;
            private ExceptionDispatchInfo? _error;

            public Request(string? target, string? action)
            {
                _target = target;
                _action = action;
            }

            /// <summary>Asks on the calling thread; an exception there (the command stopping) is the worker's answer too, and the caller's.</summary>
            public void Answer(Confirmation confirm)
            {
                if (_target is null)
                {
                    return;
                }

                try
                {
                    _yes = confirm(_target, _action!);
                }
                catch (Exception e)
                {
                    _error = ExceptionDispatchInfo.Capture(e);
                    _answered.Set();
                    throw;
                }

                _answered.Set();
            }

            public void Refuse()
            {
                if (_target != null)
                {
                    _yes = false;
                    _answered.Set();
                }
            }

            public bool Wait()
            {
                _answered.Wait();
                _error?.Throw();
                return _yes;
            }
        }
    }
}
