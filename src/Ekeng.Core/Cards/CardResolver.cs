using System.Collections.Generic;
using System.Linq;
using Ekeng.Certificates;

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

        /// <summary>The library to use for a certificate: the one asked for, else the one that read its token.</summary>
        public static string? ModuleOf(EkengCertificate certificate, string? pkcs11Module) => pkcs11Module ?? certificate.Token?.ModulePath;

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

        /// <summary>The card's authentication certificate (the one a sign-in uses), or null when it holds none.</summary>
        public static EkengCertificate? AuthenticationCertificate(EkengCard card, CertificateService certificates)
        {
            return certificates.GetCertificates(card).FirstOrDefault(c => c.Kind == CertificateKind.Authentication);
        }
    }
}
