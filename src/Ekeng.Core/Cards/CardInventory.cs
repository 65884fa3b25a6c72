using Ekeng.Diagnostics;
using Ekeng.Pkcs11;

namespace Ekeng.Cards
{
    /// <summary>
    /// The cards of this computer: PC/SC readers joined with the PKCS#11 tokens of the card middleware. Each reader
    /// is one card object; tokens whose slot names a reader hang on that reader's object; the other tokens are
    /// joined into cards by token serial (and model, manufacturer), then, for tokens with distinct serials, by an
    /// AuthPIN/SignPIN pair of the same label. Either side may be missing: no PKCS#11 module gives the readers
    /// alone; no PC/SC service gives the tokens alone.
    /// </summary>
    public sealed class CardInventory
    {
        private readonly ILogger _logger;
        private readonly ReaderService _pcsc;
        private readonly Pkcs11ModuleLocator _locator;
        private readonly IPkcs11ModuleLoader _loader;
        private bool _warnedMiddlewareMissing;

        public CardInventory(ILogger? logger = null)
            : this(logger, new ReaderService(logger), new Pkcs11ModuleLocator(), new InteropModuleLoader(logger))
        {
        }

        internal CardInventory(ILogger? logger, ReaderService pcsc, Pkcs11ModuleLocator locator, IPkcs11ModuleLoader loader)
        {
            _logger = logger ?? NullLogger.Instance;
            _pcsc = pcsc;
            _locator = locator;
            _loader = loader;
        }

        /// <summary>
        /// One object per PC/SC reader accepted by <paramref name="readerFilter"/>, with its tokens; then, unless a
        /// reader filter is given, the cards known only through PKCS#11.
        /// </summary>
        public IReadOnlyList<EkengCard> GetCards(Func<string, bool>? readerFilter, string? pkcs11Module, bool readersOnly = false)
        {
            IReadOnlyList<EkengCard> readers = Array.Empty<EkengCard>();
            EkengException? pcscFailure = null;
            try
            {
                readers = _pcsc.GetCards(readerFilter);
            }
            catch (EkengException e) when (e.Kind == EkengErrorKind.ResourceUnavailable || e.Kind == EkengErrorKind.NotInstalled)
            {
                pcscFailure = e;
                _logger.LogDebug("PC/SC: {Message}", e.Message);
            }

            string? module = ResolveModule(pkcs11Module, pcscFailure is null);
            bool named = _locator.IsNamed(pkcs11Module);
            IReadOnlyList<Pkcs11Token> tokens = module is null || !WorthAsking(module, named, readers, pcscFailure is null)
                ? Array.Empty<Pkcs11Token>()
                : ReadTokens(module, pkcs11Module != null);
            IReadOnlyList<EkengCard> cards = Join(readers, tokens, module, readersOnly, _logger);
            WarnWhenMiddlewareMissing(cards, module, named);
            if (pcscFailure != null)
            {
                if (cards.Count == 0)
                {
                    throw pcscFailure;
                }

                _logger.LogInformation("PC/SC is not available, so only the cards known through PKCS#11 are shown: {Message}", pcscFailure.Message);
            }

            return cards;
        }

        /// <summary>
        /// The PC/SC card of one reader, with the tokens whose slot names that reader: through the library the user
        /// names (<paramref name="pkcs11Module"/>), else the one the card was read with, else the one found. Only a
        /// library the user names counts as named: the OpenSC a previous command found is still skipped for an ARMID
        /// card, as that command skipped it.
        /// </summary>
        public EkengCard AttachTokens(EkengCard card, string? pkcs11Module)
        {
            string? module = ResolveModule(pkcs11Module ?? card.Pkcs11Module, pcscAvailable: true);
            bool named = _locator.IsNamed(pkcs11Module);
            if (module is null)
            {
                WarnWhenMiddlewareMissing(new[] { card }, null, named);
                return card;
            }

            IReadOnlyList<Pkcs11Token> tokens = WorthAsking(module, named, new[] { card }, pcscAvailable: true) ? ReadTokens(module, pkcs11Module != null) : Array.Empty<Pkcs11Token>();
            EkengCard result = Join(new[] { card }, tokens, module, readersOnly: true, _logger).FirstOrDefault() ?? card;
            WarnWhenMiddlewareMissing(new[] { result }, module, named);
            return result;
        }

        /// <summary>
        /// Reads a card again after its PINs changed, as removing and inserting it would: a PC/SC reset when the
        /// reader is known, then a fresh PKCS#11 enumeration. Returns the same card as it is now.
        /// </summary>
        public EkengCard Refresh(EkengCard card)
        {
            if (card.Reader != null && card.CardPresent)
            {
                try
                {
                    _pcsc.ResetCard(card.Reader);
                }
                catch (EkengException e)
                {
                    _logger.LogWarning("The card in '{Reader}' could not be reset; its tokens are read again all the same. {Message}", card.Reader, e.Message);
                }
            }

            EkengCard? reread = ReadTokensAgain(card);
            if (reread != null)
            {
                _logger.LogInformation("Card '{Card}' read again: AuthPIN {Auth}, SignPIN {Sign}.", reread, reread.AuthPin?.ToString() ?? "-", reread.SignPin?.ToString() ?? "-");
                return reread;
            }

            IReadOnlyList<EkengCard> cards = GetCards(card.Reader is null ? null : new Func<string, bool>(r => r == card.Reader), card.Pkcs11Module);
            EkengCard? same = cards.FirstOrDefault(c => c.Tokens.Any(t => card.Tokens.Any(o => o.IsSameToken(t))))
                ?? (card.Reader is null ? null : cards.FirstOrDefault(c => c.Reader == card.Reader));
            if (same is null)
            {
                throw NotFoundWhenReadAgain(card);
            }

            _logger.LogInformation("Card '{Card}' read again: AuthPIN {Auth}, SignPIN {Sign}.", same, same.AuthPin?.ToString() ?? "-", same.SignPin?.ToString() ?? "-");
            return same;
        }

        private static EkengException NotFoundWhenReadAgain(EkengCard card) =>
            new EkengException(CardErrors.CardNotFound, $"The card '{card}' was not found when it was read again.")
            {
                RecommendedAction = "Check that the card is still inserted: Get-EkengCard.",
                TargetObject = card.ToString(),
            };

        /// <summary>
        /// The card's known tokens read again in their slots (C_GetTokenInfo each, through the process-wide library:
        /// no re-initialisation); null when one of them is no longer where it was (then a full enumeration follows).
        /// </summary>
        private EkengCard? ReadTokensAgain(EkengCard card)
        {
            if (card.Pkcs11Module is null || card.Tokens.Count == 0)
            {
                return null;
            }

            using (IPkcs11Module module = _loader.Open(card.Pkcs11Module))
            {
                var fresh = new List<Pkcs11Token>();
                foreach (Pkcs11Token token in card.Tokens)
                {
                    Pkcs11Token? now = module.ReadToken(token);
                    if (now is null)
                    {
                        _logger.LogDebug("'{Label}' is no longer in slot {Slot}: listing the tokens again.", token.Label, token.SlotId);
                        return null;
                    }

                    fresh.Add(now);
                }

                return new EkengCard(card.Reader, card.State, card.AtrBytes, card.Pkcs11Module, fresh);
            }
        }

        /// <summary>
        /// OpenSC found by the search (not named by the user) serves only PC/SC cards and has no driver for ARMID
        /// cards (docs/ARCHITECTURE.md#card-and-token-facts), yet probing a card through every OpenSC driver takes seconds: it is asked only
        /// when a reader holds a card that is not an ARMID card. Without PC/SC it cannot see a card at all. A module
        /// the user named is always asked.
        /// </summary>
        private bool WorthAsking(string module, bool named, IReadOnlyList<EkengCard> readers, bool pcscAvailable)
        {
            if (named || !Pkcs11ModuleLocator.IsOpenSc(module))
            {
                return true;
            }

            if (!pcscAvailable)
            {
                _logger.LogDebug("OpenSC was not asked, as it reads cards through PC/SC, which is not available: {Module}", module);
                return false;
            }

            if (readers.Any(r => r.CardPresent && !r.IsArmid))
            {
                return true;
            }

            _logger.LogDebug("OpenSC was not asked, as it has no driver for ARMID cards and no other card is present: {Module}", module);
            return false;
        }

        /// <summary>
        /// A warning, once per inventory, when a reader holds an ARMID card that shows no tokens and the library in use
        /// is not one the user named: the card's middleware is missing (its name, the places searched, where to get it).
        /// </summary>
        private void WarnWhenMiddlewareMissing(IReadOnlyList<EkengCard> cards, string? module, bool named)
        {
            if (_warnedMiddlewareMissing || named)
            {
                return;
            }

            var unread = cards.Where(c => c.Reader != null && c.CardPresent && c.IsArmid && c.Tokens.Count == 0).ToList();
            if (unread.Count == 0)
            {
                return;
            }

            _warnedMiddlewareMissing = true;
            string which = unread.Count == 1 ? $"The ARMID card in '{unread[0].Reader}'" : $"Each of the ARMID cards in {string.Join(", ", unread.Select(c => "'" + c.Reader + "'"))}";
            _logger.LogWarning("{Message}", _locator.MiddlewareMissing(which, module));
        }

        private string? ResolveModule(string? pkcs11Module, bool pcscAvailable)
        {
            string? module = _locator.TryResolve(pkcs11Module, out IReadOnlyList<string> searched);
            if (module is null)
            {
                // No "showing the PC/SC readers only" when PC/SC is not there either: the PC/SC error follows.
                string message = pcscAvailable ? "; showing PC/SC readers only, without PIN states" : string.Empty;
                _logger.LogInformation("No PKCS#11 module found (searched: {Searched}){Rest}.", string.Join("; ", searched), message);
            }
            else
            {
                _logger.LogDebug("PKCS#11 module: {Module}", module);
            }

            return module;
        }

        private IReadOnlyList<Pkcs11Token> ReadTokens(string module, bool explicitlyNamed)
        {
            try
            {
                using (IPkcs11Module library = _loader.Open(module))
                {
                    IReadOnlyList<Pkcs11Token> tokens = library.GetTokens();
                    _logger.LogDebug("PKCS#11 module '{Module}' lists {Count} initialised token(s).", module, tokens.Count);
                    return tokens;
                }
            }
            catch (EkengException e) when (!explicitlyNamed)
            {
                _logger.LogWarning("The PKCS#11 module '{Module}' was found but could not be used, so only PC/SC readers are shown: {Message}", module, e.Message);
                return Array.Empty<Pkcs11Token>();
            }
            catch (Pkcs11CallException e)
            {
                throw new EkengException(TokenErrors.Pkcs11Error, $"The PKCS#11 module '{module}' failed to list its tokens: {e.Message}", e) { TargetObject = module };
            }
        }

        /// <summary>What may follow a reader's name in a slot description: not a letter or digit that continues it.</summary>
        private static bool IsDelimiter(char c) => !char.IsLetterOrDigit(c) && c != '_';

        /// <summary>Joins readers and tokens into cards (see the class summary). Pure: tested without devices.</summary>
        internal static IReadOnlyList<EkengCard> Join(IReadOnlyList<EkengCard> readers, IReadOnlyList<Pkcs11Token> tokens, string? module, bool readersOnly, ILogger logger)
        {
            var byReader = readers.ToDictionary(r => r, _ => new List<Pkcs11Token>());
            var rest = new List<Pkcs11Token>();
            foreach (Pkcs11Token token in tokens)
            {
                EkengCard? reader = readers.FirstOrDefault(r => r.Reader != null && SlotNamesReader(token.SlotDescription, r.Reader));
                if (reader != null)
                {
                    byReader[reader].Add(token);
                }
                else
                {
                    rest.Add(token);
                }
            }

            var result = readers.Select(r => module is null ? r : new EkengCard(r.Reader, r.State, r.AtrBytes, module, byReader[r])).ToList();
            if (readersOnly)
            {
                return result;
            }

            var groups = rest
                .GroupBy(t => t.SerialNumber.Length > 0 ? $"{t.Manufacturer}|{t.Model}|{t.SerialNumber}" : $"slot|{t.SlotDescription}")
                .Select(g => g.ToList())
                .ToList();

            // Tokens made by tools that give each token its own serial (pkcs11-tool --init-token, softhsm2-util):
            // one lone AuthPIN token and one lone SignPIN token of the same label, maker and model are one card.
            foreach (var single in groups.Where(g => g.Count == 1 && g[0].Kind == PinKind.Auth).ToList())
            {
                Pkcs11Token auth = single[0];
                var partners = groups.Where(g => g.Count == 1 && g[0].Kind == PinKind.Sign && g[0].BaseLabel == auth.BaseLabel && g[0].Manufacturer == auth.Manufacturer && g[0].Model == auth.Model).ToList();
                var rivals = groups.Where(g => g.Count == 1 && g[0].Kind == PinKind.Auth && g[0].BaseLabel == auth.BaseLabel && g[0].Manufacturer == auth.Manufacturer && g[0].Model == auth.Model).ToList();
                if (partners.Count == 1 && rivals.Count == 1)
                {
                    single.Add(partners[0][0]);
                    groups.Remove(partners[0]);
                    logger.LogDebug("Tokens '{Auth}' of serial {AuthSerial} and '{Sign}' of serial {SignSerial} have different serials but are the only pair of their label: one card.", auth.Label, auth.SerialNumber, partners[0][0].Label, partners[0][0].SerialNumber);
                }
            }

            foreach (List<Pkcs11Token> group in groups)
            {
                if (!group.Any(t => t.Kind != null))
                {
                    logger.LogDebug("Token(s) {Labels} carry no AuthPIN/SignPIN label and name no reader: not an ID card, skipped.", string.Join(", ", group.Select(t => "'" + t.Label + "'")));
                    continue;
                }

                var ordered = group.OrderBy(t => t.Kind ?? (PinKind)99).ThenBy(t => t.Label, StringComparer.Ordinal).ToList();
                result.Add(new EkengCard(null, CardState.Present, Array.Empty<byte>(), module, ordered));
            }

            return result;
        }

        /// <summary>
        /// True when a slot description names the reader: the same text, the reader followed by a delimiter and more
        /// (a PIN suffix: "Reader 00 00 (AuthPIN)"; never "X 10" for the reader "X 1"), or the reader's name cut to
        /// the 64 characters of CK_SLOT_INFO.slotDescription.
        /// </summary>
        internal static bool SlotNamesReader(string slotDescription, string reader)
        {
            string slot = (slotDescription ?? string.Empty).Trim();
            string name = (reader ?? string.Empty).Trim();
            if (slot.Length == 0 || name.Length == 0)
            {
                return false;
            }

            return slot.Equals(name, StringComparison.Ordinal)
                || (slot.StartsWith(name, StringComparison.Ordinal) && IsDelimiter(slot[name.Length]))
                || (slot.Length >= 60 && name.StartsWith(slot, StringComparison.Ordinal));
        }
    }
}
