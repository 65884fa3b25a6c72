using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Ekeng.Cards;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets a new PIN with the PUK when the PIN is locked or forgotten.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Unblock, "EkengPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.OnePin)]
    [OutputType(typeof(EkengCard))]
    public sealed class UnblockEkengPinCommand : PinCommandBase
    {
        public static class ParameterSets
        {
            /// <summary>One new PIN (from -Pin or prompted per token).</summary>
            public const string OnePin = "OnePin";

            /// <summary>A new PIN per token: -AuthPin and -SignPin.</summary>
            public const string TwoPins = "TwoPins";
        }

        /// <summary>Which PINs to reset: Auth, Sign or both (default: the locked ones).</summary>
        [Parameter]
        public PinKind[]? PinKind { get; set; }

        /// <summary>The card's PUK.</summary>
        [Parameter]
        public SecureString? Puk { get; set; }

        /// <summary>The PUK of ARMID (AuthPIN), where each token has its own (instead of -Puk).</summary>
        [Parameter]
        public SecureString? AuthPuk { get; set; }

        /// <summary>The PUK of ARMID (SignPIN), where each token has its own (instead of -Puk).</summary>
        [Parameter]
        public SecureString? SignPuk { get; set; }

        /// <summary>The new PIN for every token reset.</summary>
        [Parameter(ParameterSetName = ParameterSets.OnePin)]
        public SecureString? Pin { get; set; }

        /// <summary>The new PIN of ARMID (AuthPIN).</summary>
        [Parameter(ParameterSetName = ParameterSets.TwoPins)]
        public SecureString? AuthPin { get; set; }

        /// <summary>The new PIN of ARMID (SignPIN).</summary>
        [Parameter(ParameterSetName = ParameterSets.TwoPins)]
        public SecureString? SignPin { get; set; }

        protected override PinOperation Operation => PinOperation.Unblock;

        protected override void ProcessCard(EkengCard card)
        {
            IReadOnlyList<Pkcs11Token> tokens = SelectTokens(card, PinKind, t => t.Pin.Locked);
            if (tokens.Count == 0)
            {
                throw new EkengException("PinNotLocked", EkengErrorKind.InvalidArgument, $"No PIN of '{card}' is locked. Nothing was sent to the card.")
                {
                    RecommendedAction = "To reset a forgotten PIN that is not locked, name it: -PinKind Auth or -PinKind Sign.",
                    TargetObject = card.ToString(),
                };
            }

            CheckStates(tokens);
            if (!ShouldProcess(card.ToString(), $"Replace the PIN of {Labels(tokens)} with a new one, using the PUK (C_Login as SO, C_InitPIN)"))
            {
                return;
            }

            var puks = new Dictionary<Pkcs11Token, SecureString>();
            SecureString? puk = GetPuks(tokens, Puk, AuthPuk, SignPuk, "The PUK", puks);
            Run(card, NewPinRequests(tokens, Pin, AuthPin, SignPin, ParameterSetName == ParameterSets.TwoPins, puks), puk);
        }
    }
}
