namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// What Initialize- and Unblock-EkengPin share: a new PIN set with the PUK (C_Login as SO, C_InitPIN). The
    /// PIN and PUK parameters (one for every token, or one per token), and the run after the confirmation.
    /// </summary>
    public abstract class PukCmdletBase : PinCmdletBase
    {
        public static class ParameterSets
        {
            /// <summary>
            /// The only set: -Pin and -AuthPin/-SignPin are checked by the command (PinAmbiguous), not by parameter
            /// sets, whose failure is PowerShell's generic "Parameter set cannot be resolved".
            /// </summary>
            public const string Default = "Default";
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

        /// <summary>The new PIN for every token concerned (instead of -AuthPin/-SignPin).</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? Pin { get; set; }

        /// <summary>The new PIN of ARMID (AuthPIN) (instead of -Pin).</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? AuthPin { get; set; }

        /// <summary>The new PIN of ARMID (SignPIN) (instead of -Pin).</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? SignPin { get; set; }

        /// <summary>A new PIN per token (-AuthPin/-SignPin) rather than one for all (-Pin).</summary>
        private bool PinPerToken => AuthPin != null || SignPin != null;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Pin != null && PinPerToken)
            {
                ThrowEkengError(new EkengException(PinErrors.PinAmbiguous, "-Pin (one new PIN for every token) and -AuthPin/-SignPin (one new PIN per token) exclude each other. Nothing was sent to the card.")
                {
                    RecommendedAction = "Give either -Pin, or -AuthPin and -SignPin.",
                });
            }
        }

        /// <summary>
        /// Checks the tokens' states, asks ShouldProcess (<paramref name="action"/>: {0} is the tokens' labels), gets
        /// the PUKs and the new PINs, and runs.
        /// </summary>
        protected void SetPinsWithPuk(EkengCard card, IReadOnlyList<Pkcs11Token> tokens, string action, string pukPrompt)
        {
            CheckStates(tokens);
            // Through the module's helper: a confirmation this session cannot ask (Unblock-EkengPin is ConfirmImpact
            // High) ends with ConfirmationRequired, not PowerShell's generic prompt error.
            if (!ShouldProcessOrExplain(card.ToString(), string.Format(System.Globalization.CultureInfo.InvariantCulture, action, Labels(tokens))))
            {
                return;
            }

            var puks = new Dictionary<Pkcs11Token, SecureString>();
            SecureString? puk = GetPuks(tokens, Puk, AuthPuk, SignPuk, pukPrompt, puks);
            Run(card, NewPinRequests(tokens, Pin, AuthPin, SignPin, PinPerToken, puks), puk);
        }
    }
}
