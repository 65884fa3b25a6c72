namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes a PIN of an ARMID card: the current PIN to a new one.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "EkengPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Default)]
    [OutputType(typeof(EkengCard))]
    public sealed class SetEkengPinCommand : PinCmdletBase
    {
        public static class ParameterSets
        {
            /// <summary>
            /// The only set: -CurrentPin (one for every token, sent to the next token only after the previous accepted
            /// it) and -CurrentAuthPin/-CurrentSignPin (one per token) are checked by the command (CurrentPinAmbiguous),
            /// not by parameter sets, whose failure is PowerShell's generic "Parameter set cannot be resolved".
            /// </summary>
            public const string Default = "Default";
        }

        /// <summary>Which PINs to change: Auth, Sign or both (default: both).</summary>
        [Parameter]
        public PinKind[]? PinKind { get; set; }

        /// <summary>The current PIN, one for every token changed.</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? CurrentPin { get; set; }

        /// <summary>The current PIN of ARMID (AuthPIN) (instead of -CurrentPin).</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? CurrentAuthPin { get; set; }

        /// <summary>The current PIN of ARMID (SignPIN) (instead of -CurrentPin).</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? CurrentSignPin { get; set; }

        /// <summary>The new PIN.</summary>
        [Parameter]
        public SecureString? Pin { get; set; }

        protected override PinOperation Operation => PinOperation.Change;

        /// <summary>A current PIN per token (-CurrentAuthPin/-CurrentSignPin) rather than one for all (-CurrentPin).</summary>
        private bool CurrentPinPerToken => CurrentAuthPin != null || CurrentSignPin != null;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (CurrentPin != null && CurrentPinPerToken)
            {
                ThrowEkengError(new EkengException(PinErrors.CurrentPinAmbiguous, "-CurrentPin (one current PIN for every token) and -CurrentAuthPin/-CurrentSignPin (one per token) exclude each other. Nothing was sent to the card."));
            }
        }

        protected override void ProcessCard(EkengCard card)
        {
            IReadOnlyList<Pkcs11Token> tokens = SelectTokens(card, PinKind, _ => true);
            CheckStates(tokens);
            if (!ShouldProcessOrExplain(card.ToString(), $"Change the PIN of {Labels(tokens)} (C_SetPIN)"))
            {
                return;
            }

            var requests = new List<PinRequest>();
            foreach (Pkcs11Token token in tokens)
            {
                bool perToken = CurrentPinPerToken;
                bool sign = token.Kind == Ekeng.Pkcs11.PinKind.Sign;
                SecureString? given = perToken ? (sign ? CurrentSignPin : CurrentAuthPin) : CurrentPin;
                string parameter = perToken ? (sign ? nameof(CurrentSignPin) : nameof(CurrentAuthPin)) : nameof(CurrentPin);
                SecureString current = GetSecret(given, PinErrors.CurrentPinRequired, parameter, $"Current PIN of '{token.Label}'", false, token.Label);
                SecureString pin = GetSecret(Pin, PinErrors.PinRequired, nameof(Pin), $"New PIN for '{token.Label}'", true, token.Label);
                requests.Add(new PinRequest(token, pin, current));
            }

            Run(card, requests, null);
        }
    }
}
