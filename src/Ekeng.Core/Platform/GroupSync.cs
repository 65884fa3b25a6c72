using System.Collections.Concurrent;

namespace Ekeng.Platform
{
    /// <summary>
    /// Group commit for many atomic writes at once (Linux): where one write would fsync its file before the rename and
    /// its folder after, a write given a GroupSync waits instead for one syncfs(2) of that filesystem that STARTED after
    /// its request. One of the waiting writers runs it for all of them, so N concurrent writes pay a few syncs rather than
    /// 2N fsyncs. syncfs writes every dirty page and inode of the filesystem and flushes the device, so each file's data is
    /// on disk before its rename, and the rename before the write returns, as with the two fsyncs.
    /// A failed sync fails every write that waited for it (each gets its own IOException); the next request starts anew.
    /// </summary>
    internal sealed class GroupSync
    {
        private readonly Action<SafeHandle> _sync;
        private readonly ConcurrentDictionary<ulong, Lane> _lanes = new ConcurrentDictionary<ulong, Lane>();

        /// <summary>A group commit through syncfs(2).</summary>
        public GroupSync()
            : this(UnixNative.SyncFs)
        {
        }

        /// <summary>A group commit through <paramref name="sync"/> (tests count and time the syncs).</summary>
        internal GroupSync(Action<SafeHandle> sync)
        {
            _sync = sync;
        }

        /// <summary>True where this is used instead of fsync: Linux, the one system with syncfs(2).</summary>
        public static bool Supported => HostOs.IsLinux;

        /// <summary>
        /// Returns once a sync of the filesystem <paramref name="device"/> (the one holding <paramref name="onFileSystem"/>)
        /// that started after this call has ended; throws its failure.
        /// </summary>
        public void Sync(SafeHandle onFileSystem, ulong device) => _lanes.GetOrAdd(device, _ => new Lane(_sync)).Sync(onFileSystem);

        // The requests of one filesystem: the round that has not started yet collects them; one requester leads it.
        private sealed class Lane
        {
            private readonly Action<SafeHandle> _sync;
            private readonly object _gate = new object();
            private Round _next = new Round();
            private bool _running;

            public Lane(Action<SafeHandle> sync)
            {
                _sync = sync;
            }

            public void Sync(SafeHandle onFileSystem)
            {
                Round mine;
                lock (_gate)
                {
                    // A sync already running may have started before this request: wait for the next round.
                    mine = _next;
                    while (_running && !mine.Done)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (mine.Done)
                    {
                        mine.ThrowIfFailed();
                        return;
                    }

                    // Lead this round: every request in it was made before the sync below starts.
                    _running = true;
                    _next = new Round();
                }

                string? failure = null;
                try
                {
                    _sync(onFileSystem);
                }
                catch (Exception e)
                {
                    // Whatever it was (an I/O error, no syncfs in this libc), none of this round's writes may go on.
                    failure = e is IOException ? e.Message : $"Cannot flush the filesystem to disk: {e.GetType().Name}";
                }
                finally
                {
                    lock (_gate)
                    {
                        mine.Finish(failure);
                        _running = false;
                        Monitor.PulseAll(_gate);
                    }
                }

                mine.ThrowIfFailed();
            }
        }

        private sealed class Round
        {
            private string? _failure;

            public bool Done { get; private set; }

            public void Finish(string? failure)
            {
                _failure = failure;
                Done = true;
            }

            public void ThrowIfFailed()
            {
                if (_failure != null)
                {
                    throw new IOException(_failure);
                }
            }
        }
    }
}
