using Ekeng.Diagnostics;
using Ekeng.Pkcs11;

namespace Ekeng.Cards
{
    /// <summary>
    /// The one answer to "which card, through which PKCS#11 library" for every command that acts on a card: a piped
    /// card is used as it is, or read again (its tokens) when it has none or another library is asked for; a reader
    /// without a card is skipped; without a piped card, the cards present are discovered. See docs/CARD-RESOLUTION.md.
    /// </summary>
    public sealed class CardResolver
    {
        private readonly CardInventory _inventory;

        public CardResolver(CardInventory inventory)
        {
            _inventory = inventory;
        }

        /// <summary>The library to use for a card: the one asked for (-Pkcs11Module), else the one that read it.</summary>
        public static string? ModuleOf(EkengCard card, string? pkcs11Module) => pkcs11Module ?? card.Pkcs11Module;

        /// <summary>Whether a piped card must be read again: it has no tokens, or another library is asked for.</summary>
        public static bool NeedsReading(EkengCard card, string? pkcs11Module) => card.Tokens.Count == 0 || pkcs11Module != null;

        /// <summary>
        /// The piped card ready for PKCS#11 use, or null when its reader holds no card. A card without a reader
        /// (a token-only card) is returned as it is; the caller decides what no tokens means.
        /// </summary>
        public EkengCard? Read(EkengCard card, string? pkcs11Module)
        {
            if (!NeedsReading(card, pkcs11Module))
            {
                return card;
            }

            if (card.Reader is null)
            {
                return card;
            }

            return card.CardPresent ? _inventory.AttachTokens(card, pkcs11Module) : null;
        }

        /// <summary>The cards present that show PKCS#11 tokens (with <paramref name="pinTokensOnly"/>: the ARMID PIN tokens).</summary>
        public IReadOnlyList<EkengCard> Discover(string? pkcs11Module, bool pinTokensOnly)
        {
            return _inventory.GetCards(null, pkcs11Module)
                .Where(c => pinTokensOnly ? c.Tokens.Any(t => t.Kind != null) : c.Tokens.Count > 0)
                .ToList();
        }

        /// <summary>
        /// The one card a command acts on, with its tokens read: the piped one (null when its reader holds no card), or,
        /// without one, the only card present. The one set of errors for every command: TokenNotFound (a piped card
        /// shows no token), CardNotFound (none present), MultipleCards (several: the command acts on one).
        /// </summary>
        /// <param name="card">The piped card, or null.</param>
        /// <param name="pkcs11Module">The library asked for (-Pkcs11Module), or null.</param>
        /// <param name="pinTokensOnly">Only cards with the ARMID PIN tokens count (the PIN commands); else any token.</param>
        /// <param name="emptyReaderSkipped">A piped reader without a card gives null (the PIN commands pass it over); false: CardNotFound.</param>
        public EkengCard? Single(EkengCard? card, string? pkcs11Module, bool pinTokensOnly, bool emptyReaderSkipped = true)
        {
            if (card != null)
            {
                EkengCard? read = Read(card, pkcs11Module);
                if (read is null && !emptyReaderSkipped)
                {
                    throw new EkengException(CardErrors.CardNotFound, $"The reader '{card.Reader}' holds no card.")
                    {
                        RecommendedAction = "Insert the ID card (Get-EkengCard lists what is seen).",
                        TargetObject = card.ToString(),
                    };
                }

                if (read != null && read.Tokens.Count == 0)
                {
                    throw new EkengException(TokenErrors.TokenNotFound, $"The card in '{card}' shows no PKCS#11 token{(read.Pkcs11Module is null ? " (no PKCS#11 module was found)" : $" through '{read.Pkcs11Module}'")}.")
                    {
                        RecommendedAction = "Install the card's middleware, or name its library with -Pkcs11Module.",
                        TargetObject = card.ToString(),
                    };
                }

                return read;
            }

            IReadOnlyList<EkengCard> cards = Discover(pkcs11Module, pinTokensOnly);
            if (cards.Count == 0)
            {
                throw new EkengException(CardErrors.CardNotFound, pinTokensOnly ? "No ID card with PIN tokens (ARMID (AuthPIN), ARMID (SignPIN)) was found." : "No card with PKCS#11 tokens was found.")
                {
                    RecommendedAction = "Insert the card and check it with Get-EkengCard; name the middleware's library with -Pkcs11Module if it is not found.",
                };
            }

            if (cards.Count > 1)
            {
                throw new EkengException(CardErrors.MultipleCards, $"{cards.Count} cards were found ({string.Join(", ", cards.Select(c => "'" + c + "'"))}); this command acts on one card at a time.")
                {
                    RecommendedAction = "Pipe the card you mean: Get-EkengCard -Reader '<reader>' | <command>",
                };
            }

            return cards[0];
        }
    }
}
