using Ekeng.Pkcs11;

namespace Ekeng.Cards
{
    /// <summary>
    /// An ARMID card as the module sees it: its PC/SC reader and ATR, and its PKCS#11 tokens. The card's two
    /// tokens, <c>ARMID (AuthPIN)</c> and <c>ARMID (SignPIN)</c>, are one object with the state of each PIN.
    /// A card known only through PKCS#11 (no PC/SC reader named by its slot) has no Reader and no ATR.
    /// </summary>
    public sealed class EkengCard
    {
        public EkengCard(string? reader, CardState state, byte[] atr)
            : this(reader, state, atr, null, Array.Empty<Pkcs11Token>())
        {
        }

        internal EkengCard(string? reader, CardState state, byte[] atr, string? pkcs11Module, IReadOnlyList<Pkcs11Token> tokens)
        {
            Reader = reader;
            State = state;
            AtrBytes = atr ?? Array.Empty<byte>();
            Pkcs11Module = pkcs11Module;
            Tokens = tokens ?? Array.Empty<Pkcs11Token>();
        }

        /// <summary>The PC/SC reader name, or null when the card is known only through PKCS#11.</summary>
        public string? Reader { get; }

        /// <summary>The reader's name under the name other tools bind by property (-ReaderName): the same as <see cref="Reader"/>.</summary>
        public string? ReaderName => Reader;

        public CardState State { get; }

        public bool CardPresent => State != CardState.Absent && State != CardState.Unavailable && State != CardState.Unknown;

        /// <summary>The Answer To Reset, hexadecimal, no separators (empty when no card).</summary>
        public string Atr => Ekeng.PcSc.Hex.Format(AtrBytes);

        internal byte[] AtrBytes { get; }

        /// <summary>True when the ATR is one of the ARMID card's (see <see cref="ArmidAtr"/>) or its tokens are ARMID's.</summary>
        public bool IsArmid => (AtrBytes.Length > 0 && ArmidAtr.Matches(AtrBytes)) || Tokens.Any(t => t.IsArmid);

        /// <summary>The PKCS#11 library the tokens were read through (null when none was found).</summary>
        public string? Pkcs11Module { get; }

        /// <summary>The card's PKCS#11 tokens (one per PIN on an ARMID card).</summary>
        public IReadOnlyList<Pkcs11Token> Tokens { get; }

        /// <summary>The token serial number (the card's, shared by its tokens), or null without tokens.</summary>
        public string? SerialNumber => Tokens.Select(t => t.SerialNumber).FirstOrDefault(s => s.Length > 0);

        /// <summary>The tokens' label without the PIN part, e.g. <c>ARMID</c>.</summary>
        public string? TokenLabel => Tokens.Select(t => t.BaseLabel).FirstOrDefault();

        /// <summary>State of the authentication PIN (token <c>ARMID (AuthPIN)</c>) and of its PUK.</summary>
        public PinStatus? AuthPin => GetToken(PinKind.Auth)?.Pin;

        /// <summary>State of the signature PIN (token <c>ARMID (SignPIN)</c>) and of its PUK.</summary>
        public PinStatus? SignPin => GetToken(PinKind.Sign)?.Pin;

        /// <summary>The token of one PIN, or null when the card has none.</summary>
        public Pkcs11Token? GetToken(PinKind kind) => Tokens.FirstOrDefault(t => t.Kind == kind);

        public override string ToString() => Reader ?? (Tokens.Count > 0 ? $"{TokenLabel} {SerialNumber}".Trim() : "(no reader)");
    }
}
