using Ekeng.PcSc;

namespace Ekeng.Cards
{
    /// <summary>Finds readers and cards over PC/SC. Knows nothing of PowerShell.</summary>
    public sealed class ReaderService
    {
        private readonly ILogger _logger;
        private readonly Func<PcScContext> _establish;

        public ReaderService(ILogger? logger = null)
            : this(logger, null)
        {
        }

        internal ReaderService(ILogger? logger, Func<PcScContext>? establish)
        {
            _logger = logger ?? NullLogger.Instance;
            _establish = establish ?? (() => PcScContext.Establish(_logger));
        }

        /// <summary>The names of the readers PC/SC knows (for argument completion, too).</summary>
        public IReadOnlyList<string> GetReaderNames()
        {
            using (PcScContext context = _establish())
            {
                return context.ListReaders();
            }
        }

        /// <summary>One card object per reader accepted by <paramref name="readerFilter"/>.</summary>
        public IReadOnlyList<EkengCard> GetCards(Func<string, bool>? readerFilter = null)
        {
            using (PcScContext context = _establish())
            {
                IReadOnlyList<string> readers = context.ListReaders();
                _logger.LogDebug("PC/SC lists {Count} reader(s).", readers.Count);
                var wanted = readers.Where(readerFilter ?? (_ => true)).ToList();
                return context.GetStatus(wanted).Select(ToCard).ToList();
            }
        }

        /// <summary>
        /// Waits for a card in a reader accepted by <paramref name="readerFilter"/>; returns at once when one holds
        /// a card already. Cancelling <paramref name="cancellationToken"/> (Ctrl+C) ends the wait at once.
        /// </summary>
        public EkengCard WaitForCard(Func<string, bool>? readerFilter, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using (PcScContext context = _establish())
            {
                _logger.LogDebug("Waiting up to {Seconds} s for a card.", (int)timeout.TotalSeconds);
                ReaderStatus status = context.WaitForCard(readerFilter ?? (_ => true), timeout, cancellationToken);
                _logger.LogInformation("Card found in '{Reader}'.", status.Reader);
                return ToCard(status);
            }
        }

        /// <summary>
        /// The manual's "remove the card and insert it again": waits until the card in <paramref name="reader"/> is
        /// taken out, then until a card is in that reader again (<paramref name="timeout"/> for both together).
        /// </summary>
        public EkengCard WaitForReinsertion(string reader, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (PcScContext context = _establish())
            {
                _logger.LogDebug("Waiting for the card to be removed from '{Reader}'.", reader);
                context.WaitForRemoval(reader, timeout, cancellationToken);
                _logger.LogDebug("The card was removed from '{Reader}'; waiting for it to be inserted again.", reader);
                TimeSpan left = timeout - clock.Elapsed;
                ReaderStatus status = context.WaitForCard(r => r == reader, left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
                _logger.LogInformation("The card is in '{Reader}' again.", status.Reader);
                return ToCard(status);
            }
        }

        /// <summary>
        /// Makes the system read the card again, as removing and inserting it would: a reset with power off.
        /// </summary>
        public void ResetCard(string reader)
        {
            using (PcScContext context = _establish())
            using (PcScCard card = context.Connect(reader))
            {
                card.Reconnect(CardDisposition.Unpower);
                card.Disconnect(CardDisposition.Leave);
                _logger.LogInformation("Card in '{Reader}' was reset so that it is read again.", reader);
            }
        }

        internal static EkengCard ToCard(ReaderStatus status) => new EkengCard(status.Reader, ToState(status.Flags), status.Atr);

        internal static CardState ToState(ReaderStateFlags flags)
        {
            if ((flags & ReaderStateFlags.Unavailable) != 0)
            {
                return CardState.Unavailable;
            }

            if ((flags & ReaderStateFlags.Empty) != 0)
            {
                return CardState.Absent;
            }

            if ((flags & ReaderStateFlags.Present) == 0)
            {
                return CardState.Unknown;
            }

            if ((flags & ReaderStateFlags.Mute) != 0)
            {
                return CardState.Mute;
            }

            if ((flags & ReaderStateFlags.Exclusive) != 0)
            {
                return CardState.Exclusive;
            }

            return (flags & ReaderStateFlags.InUse) != 0 ? CardState.InUse : CardState.Present;
        }
    }
}
