using System.Diagnostics;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.PcSc
{
    /// <summary>
    /// A PC/SC resource manager context (SCardEstablishContext). One per operation; dispose it to release.
    /// <see cref="Cancel"/> may be called from another thread (Ctrl+C) and makes a pending wait end at once.
    /// </summary>
    public sealed class PcScContext : IDisposable
    {
        internal const uint AnyProtocol = (uint)(CardProtocol.T0 | CardProtocol.T1);

        /// <summary>The special reader name that reports reader arrival and removal.</summary>
        internal const string PnpNotification = @"\\?PnP?\Notification";

        private readonly IPcScNative _native;
        private readonly ILogger _logger;
        private IntPtr _context;

        private PcScContext(IPcScNative native, IntPtr context, ILogger logger)
        {
            _native = native;
            _context = context;
            _logger = logger;
        }

        /// <summary>Opens a context with the PC/SC library of this OS.</summary>
        /// <exception cref="EkengException">PcscLibraryNotFound or PcscServiceUnavailable, never a DllNotFoundException.</exception>
        public static PcScContext Establish(ILogger? logger = null) => Establish(CreateNative(), logger);

        internal static PcScContext Establish(IPcScNative native, ILogger? logger)
        {
            logger ??= NullLogger.Instance;
            uint rc;
            IntPtr context;
            try
            {
                rc = native.EstablishContext(out context);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
            {
                var error = new EkengException(PcScErrors.PcscLibraryNotFound, $"The PC/SC library '{native.LibraryName}' could not be loaded, so no card reader can be used.",
                    e);
                throw error;
            }

            if (rc != PcScResult.Success)
            {
                throw PcScException.FromCode(rc, "SCardEstablishContext");
            }

            logger.LogDebug("PC/SC context established through {Library}.", native.LibraryName);
            return new PcScContext(native, context, logger);
        }

        internal static IPcScNative CreateNative()
        {
            if (HostOs.IsWindows)
            {
                return new WinSCardNative();
            }

            if (HostOs.IsMacOS)
            {
                return new MacPcscNative();
            }

            return new PcscLiteNative();
        }

        /// <summary>The readers PC/SC knows; empty when there are none.</summary>
        public IReadOnlyList<string> ListReaders()
        {
            uint rc = _native.ListReaders(Handle, out string[] readers);
            if (rc == PcScResult.NoReadersAvailable)
            {
                return Array.Empty<string>();
            }

            if (rc != PcScResult.Success)
            {
                throw PcScException.FromCode(rc, "SCardListReaders");
            }

            return readers;
        }

        /// <summary>The current state of each reader (SCardGetStatusChange with no wait).</summary>
        public IReadOnlyList<ReaderStatus> GetStatus(IEnumerable<string> readers)
        {
            ReaderStateEntry[] states = readers.Select(r => new ReaderStateEntry(r, (uint)ReaderStateFlags.Unaware)).ToArray();
            if (states.Length == 0)
            {
                return Array.Empty<ReaderStatus>();
            }

            uint rc = _native.GetStatusChange(Handle, 0, states);
            if (rc != PcScResult.Success && rc != PcScResult.Timeout)
            {
                throw PcScException.FromCode(rc, "SCardGetStatusChange");
            }

            return states.Select(ToStatus).ToArray();
        }

        /// <summary>
        /// Waits until a reader accepted by <paramref name="readerFilter"/> holds a card, or returns at once when one
        /// already does. Readers that appear during the wait count too.
        /// </summary>
        /// <exception cref="PcScException">PcscTimeout when <paramref name="timeout"/> passes; PcscCancelled on cancellation.</exception>
        public ReaderStatus WaitForCard(Func<string, bool> readerFilter, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Stopwatch clock = Stopwatch.StartNew();
            using (cancellationToken.Register(Cancel))
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var watched = ListReaders().Where(readerFilter).ToList();
                    var states = watched.Select(r => new ReaderStateEntry(r, (uint)ReaderStateFlags.Unaware)).ToList();
                    states.Add(new ReaderStateEntry(PnpNotification, (uint)ReaderStateFlags.Unaware));
                    ReaderStateEntry[] array = states.ToArray();

                    // First call: learn the current state of every reader.
                    uint rc = _native.GetStatusChange(Handle, 0, array);
                    if (rc != PcScResult.Success && rc != PcScResult.Timeout)
                    {
                        throw PcScException.FromCode(rc, "SCardGetStatusChange");
                    }

                    while (true)
                    {
                        foreach (ReaderStateEntry state in array.Take(array.Length - 1))
                        {
                            ReaderStatus status = ToStatus(state);
                            if (status.CardPresent)
                            {
                                return status;
                            }
                        }

                        TimeSpan left = timeout - clock.Elapsed;
                        if (left <= TimeSpan.Zero)
                        {
                            throw PcScException.FromCode(PcScResult.Timeout, "SCardGetStatusChange");
                        }

                        foreach (ReaderStateEntry state in array)
                        {
                            state.CurrentState = state.EventState & ~(uint)ReaderStateFlags.Changed;
                        }

                        _logger.LogDebug("Waiting up to {Seconds:0.0} s for a card in {Count} reader(s).", left.TotalSeconds, watched.Count);
                        rc = _native.GetStatusChange(Handle, (uint)Math.Ceiling(left.TotalMilliseconds), array);
                        if (rc == PcScResult.Cancelled && cancellationToken.IsCancellationRequested)
                        {
                            throw PcScException.FromCode(PcScResult.Cancelled, "SCardGetStatusChange");
                        }

                        if (rc != PcScResult.Success)
                        {
                            throw PcScException.FromCode(rc, "SCardGetStatusChange");
                        }

                        ReaderStateEntry pnp = array[array.Length - 1];
                        if ((pnp.EventState & (uint)ReaderStateFlags.Changed) != 0)
                        {
                            _logger.LogDebug("The set of readers changed; listing them again.");
                            break;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Waits until <paramref name="reader"/> holds no card (returns at once when it is empty already), so that a
        /// following <see cref="WaitForCard"/> sees the card inserted AGAIN, not the one still in the reader.
        /// </summary>
        /// <exception cref="PcScException">PcscTimeout when <paramref name="timeout"/> passes; PcscCancelled on cancellation.</exception>
        public ReaderStatus WaitForRemoval(string reader, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Stopwatch clock = Stopwatch.StartNew();
            using (cancellationToken.Register(Cancel))
            {
                var array = new[] { new ReaderStateEntry(reader, (uint)ReaderStateFlags.Unaware) };
                uint rc = _native.GetStatusChange(Handle, 0, array);
                while (true)
                {
                    if (rc != PcScResult.Success && rc != PcScResult.Timeout)
                    {
                        if (rc == PcScResult.Cancelled && cancellationToken.IsCancellationRequested)
                        {
                            throw PcScException.FromCode(PcScResult.Cancelled, "SCardGetStatusChange");
                        }

                        throw PcScException.FromCode(rc, "SCardGetStatusChange", reader);
                    }

                    ReaderStatus status = ToStatus(array[0]);
                    if ((status.Flags & ReaderStateFlags.Present) == 0)
                    {
                        return status;
                    }

                    TimeSpan left = timeout - clock.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        throw PcScException.FromCode(PcScResult.Timeout, "SCardGetStatusChange");
                    }

                    array[0].CurrentState = array[0].EventState & ~(uint)ReaderStateFlags.Changed;
                    _logger.LogDebug("Waiting up to {Seconds:0.0} s for the card to be removed from '{Reader}'.", left.TotalSeconds, reader);
                    rc = _native.GetStatusChange(Handle, (uint)Math.Ceiling(left.TotalMilliseconds), array);
                }
            }
        }

        /// <summary>Connects to the card in <paramref name="reader"/> in shared mode, T=0 or T=1.</summary>
        public PcScCard Connect(string reader)
        {
            uint rc = _native.Connect(Handle, reader, AnyProtocol, out IntPtr card, out uint protocol);
            if (rc != PcScResult.Success)
            {
                throw PcScException.FromCode(rc, "SCardConnect", reader);
            }

            return new PcScCard(_native, card, protocol, reader, _logger);
        }

        /// <summary>Ends a pending wait on this context (SCardCancel). Safe from any thread.</summary>
        public void Cancel()
        {
            IntPtr context = _context;
            if (context != IntPtr.Zero)
            {
                _native.Cancel(context);
            }
        }

        public void Dispose()
        {
            IntPtr context = Interlocked.Exchange(ref _context, IntPtr.Zero);
            if (context != IntPtr.Zero)
            {
                _native.ReleaseContext(context);
            }
        }

        private IntPtr Handle => _context != IntPtr.Zero ? _context : throw new ObjectDisposedException(nameof(PcScContext));

        private static ReaderStatus ToStatus(ReaderStateEntry state)
            => new ReaderStatus(state.Reader, (ReaderStateFlags)(state.EventState & 0xFFFF), (int)(state.EventState >> 16), state.Atr);
    }
}
