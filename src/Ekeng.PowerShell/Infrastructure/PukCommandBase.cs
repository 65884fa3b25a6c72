using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using Ekeng.Cards;
using Ekeng.Pkcs11;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// What Initialize- and Unblock-EkengPin share: a new PIN set with the PUK (C_Login as SO, C_InitPIN). The
    /// parameter sets (one new PIN, or one per token), the PUK parameters, and the run after the confirmation.
    /// </summary>
    public abstract class PukCommandBase : PinCommandBase
    {
        public static class ParameterSets
        {
            /// <summary>One new PIN (from -Pin or prompted per token).</summary>
            public const string OnePin = "OnePin";

            /// <summary>A new PIN per token: -AuthPin and -SignPin.</summary>
            public const string TwoPins = "TwoPins";
        }

        /// <summary>Which PINs: Auth, Sign or both (the default depends on the command).</summary>
        [Parameter]
        public PinKind[]? PinKind { get; set; }

        /// <summary>The card's PUK (a new card's Initial PUK).</summary>
        [Parameter]
        public SecureString? Puk { get; set; }

        /// <summary>The PUK of ARMID (AuthPIN), where each token has its own (instead of -Puk).</summary>
        [Parameter]
        public SecureString? AuthPuk { get; set; }

        /// <summary>The PUK of ARMID (SignPIN), where each token has its own (instead of -Puk).</summary>
        [Parameter]
        public SecureString? SignPuk { get; set; }

        /// <summary>The new PIN for every token concerned.</summary>
        [Parameter(ParameterSetName = ParameterSets.OnePin)]
        public SecureString? Pin { get; set; }

        /// <summary>The new PIN of ARMID (AuthPIN).</summary>
        [Parameter(ParameterSetName = ParameterSets.TwoPins)]
        public SecureString? AuthPin { get; set; }

        /// <summary>The new PIN of ARMID (SignPIN).</summary>
        [Parameter(ParameterSetName = ParameterSets.TwoPins)]
        public SecureString? SignPin { get; set; }

        /// <summary>
        /// Checks the tokens' states, asks ShouldProcess (<paramref name="action"/>: {0} is the tokens' labels), gets
        /// the PUKs and the new PINs, and runs.
        /// </summary>
        protected void SetPinsWithPuk(EkengCard card, IReadOnlyList<Pkcs11Token> tokens, string action, string pukPrompt)
        {
            CheckStates(tokens);
            if (!ShouldProcess(card.ToString(), string.Format(System.Globalization.CultureInfo.InvariantCulture, action, Labels(tokens))))
            {
                return;
            }

            var puks = new Dictionary<Pkcs11Token, SecureString>();
            SecureString? puk = GetPuks(tokens, Puk, AuthPuk, SignPuk, pukPrompt, puks);
            Run(card, NewPinRequests(tokens, Pin, AuthPin, SignPin, ParameterSetName == ParameterSets.TwoPins, puks), puk);
        }
    }
}
