namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// What Initialize-, Set- and Unblock-EkengPin share: the card from the pipeline (or the single card present),
    /// the PINs to act on, secrets from parameters or from host prompts (a new PIN asked twice), the forced-guard
    /// confirmation, and the re-read of the card after the change.
    /// </summary>
    public abstract class PinCmdletBase : CardInputCmdletBase
    {
        private CardInventory? _inventory;
        private CardResolver? _resolver;
        private PinService? _pins;

        /// <summary>Sends a secret even when the token reports it at its final try or locked.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The operation, for messages and the PIN service.</summary>
        protected abstract PinOperation Operation { get; }

        protected CardInventory Inventory => _inventory ??= new CardInventory(CreateLogger<CardInventory>());

        protected CardResolver Resolver => _resolver ??= new CardResolver(Inventory);

        protected PinService Pins => _pins ??= new PinService(CreateLogger<PinService>());

        /// <summary>The cards to act on: the piped one (with its tokens read if it has none), or the only one present (<see cref="CardResolver.Single"/>).</summary>
        protected IReadOnlyList<EkengCard> ResolveCards()
        {
            EkengCard? card;
            try
            {
                card = RunService(_ => Resolver.Single(Card, Pkcs11Module, pinTokensOnly: true));
            }
            catch (EkengException e) when (Card is null)
            {
                // Nothing was piped: no card, or several, fails the command as a whole.
                ThrowEkengError(e);
                throw; // not reached: ThrowEkengError always throws
            }

            if (card is null)
            {
                WriteVerbose($"The reader '{Card?.Reader}' holds no card; skipped.");
                return Array.Empty<EkengCard>();
            }

            return new[] { card };
        }

        /// <summary>The tokens of the PINs asked for; <paramref name="kinds"/> null means the default of the command.</summary>
        protected IReadOnlyList<Pkcs11Token> SelectTokens(EkengCard card, PinKind[]? kinds, Func<Pkcs11Token, bool> byDefault)
        {
            var armidTokens = card.Tokens.Where(t => t.Kind != null).ToList();
            if (kinds is null || kinds.Length == 0)
            {
                return armidTokens.Where(byDefault).ToList();
            }

            var result = new List<Pkcs11Token>();
            foreach (PinKind kind in kinds.Distinct())
            {
                Pkcs11Token? token = card.GetToken(kind);
                if (token is null)
                {
                    throw new EkengException(TokenErrors.TokenNotFound, $"The card '{card}' has no {kind}PIN token.")
                    {
                        RecommendedAction = "List the card's tokens: (Get-EkengCard).Tokens",
                        TargetObject = card.ToString(),
                    };
                }

                result.Add(token);
            }

            return result;
        }

        /// <summary>A secret given as a parameter, or prompted for through the host (twice when it is a new PIN).</summary>
        protected SecureString GetSecret(SecureString? given, EkengError error, string parameterName, string prompt, bool askTwice, string tokenLabel) =>
            Secrets.Require(given, error, parameterName, prompt, tokenLabel, "Nothing was sent to the card.", askTwice);

        /// <summary>Runs the PIN service for one card, then reads the card again and writes it to the pipeline.</summary>
        protected void Run(EkengCard card, IReadOnlyList<PinRequest> requests, SecureString? puk)
        {
            string module = CardResolver.ModuleOf(card, Pkcs11Module) ?? throw new EkengException(TokenErrors.Pkcs11ModuleNotFound, $"The card '{card}' was read without a PKCS#11 module.");
            IReadOnlyList<Pkcs11Token> done;
            try
            {
                done = Pins.Execute(Operation, module, requests, puk, Force.IsPresent, ConfirmForcedUse);
            }
            finally
            {
                DrainLog();
            }

            EkengCard refreshed;
            try
            {
                refreshed = RunService(_ => Inventory.Refresh(card));
            }
            catch (EkengException e)
            {
                // The change itself succeeded: say so loudly, or the user retries with the old PIN and burns a try.
                WriteEkengError(RereadFailed(Operation, done, card, e), card.ToString());
                PSObject known = PSObject.AsPSObject(card);
                known.Properties.Add(new PSNoteProperty("PinChanged", done.Select(t => t.Label).ToArray()));
                known.Properties.Add(new PSNoteProperty("StateIsStale", true));
                WriteObject(known);
                return;
            }

            WriteObject(AfterChange(refreshed, done));
        }

        /// <summary>What a command does after a change succeeded and the card was read again (the manual's next step).</summary>
        protected virtual EkengCard AfterChange(EkengCard card, IReadOnlyList<Pkcs11Token> done) => card;

        /// <summary>The error of a re-read that failed after a successful change: it names what WAS changed.</summary>
        internal static EkengException RereadFailed(PinOperation operation, IReadOnlyList<Pkcs11Token> done, EkengCard card, EkengException cause)
        {
            string verb = operation == PinOperation.Change ? "changed" : "set";
            return new EkengException(CardErrors.CardRereadFailed, $"The PIN of {string.Join(" and ", done.Select(t => "'" + t.Label + "'"))} WAS {verb}: use the new PIN from now on. Re-reading the card afterwards failed: {cause.Message}", cause)
            {
                RecommendedAction = "Do not repeat the command with the old PIN. Check the card's state with Get-EkengCard.",
                TargetObject = card.ToString(),
            };
        }

        /// <summary>
        /// A secret sent although the token reports it at its final try or locked is confirmed like a High-impact
        /// action: asked, unless -Confirm:$false was given; a session that cannot ask does not send it.
        /// </summary>
        private bool ConfirmForcedUse(string tokenLabel, string question)
        {
            DrainLog();
            return ShouldContinueOrExplain(tokenLabel, question, $"Forced {Operation} of '{tokenLabel}'");
        }

        /// <summary>Acts on each card of this pipeline input; a failure on one card does not stop the next.</summary>
        protected sealed override void ProcessRecord()
        {
            IReadOnlyList<EkengCard> cards;
            try
            {
                cards = ResolveCards();
            }
            catch (EkengException e)
            {
                // No card may have been piped (-Card absent, the cards looked up here): the error names what it can.
                Report(e, Card);
                return;
            }

            foreach (EkengCard card in cards)
            {
                try
                {
                    ProcessCard(card);
                }
                catch (EkengException e)
                {
                    Report(e, card);
                }
                finally
                {
                    // Prompted secrets live for one card only, whatever way ProcessCard ends (a terminating error,
                    // an unexpected exception): EndProcessing would not run then.
                    Secrets.Dispose();
                }
            }
        }

        /// <summary>The command's work on one card.</summary>
        protected abstract void ProcessCard(EkengCard card);

        /// <summary>Checks before anything is sent that every token's state allows this command's operation.</summary>
        protected void CheckStates(IReadOnlyList<Pkcs11Token> tokens)
        {
            foreach (Pkcs11Token token in tokens)
            {
                PinService.CheckState(Operation, token);
            }
        }

        /// <summary>"ARMID (AuthPIN) and ARMID (SignPIN)", for ShouldProcess.</summary>
        protected static string Labels(IReadOnlyList<Pkcs11Token> tokens) => string.Join(" and ", tokens.Select(t => t.Label));

        /// <summary>
        /// The new PIN of each token, from -AuthPin/-SignPin when <paramref name="perToken"/>, else from -Pin, or prompted.
        /// </summary>
        protected List<PinRequest> NewPinRequests(IReadOnlyList<Pkcs11Token> tokens, SecureString? pin, SecureString? authPin, SecureString? signPin, bool perToken, IReadOnlyDictionary<Pkcs11Token, SecureString>? puks = null)
        {
            var requests = new List<PinRequest>();
            foreach (Pkcs11Token token in tokens)
            {
                bool auth = token.Kind == PinKind.Auth;
                bool sign = token.Kind == PinKind.Sign;
                SecureString? given = auth ? authPin ?? pin : sign ? signPin ?? pin : pin;
                string parameter = perToken ? (auth ? "AuthPin" : "SignPin") : "Pin";
                SecureString? tokenPuk = null;
                puks?.TryGetValue(token, out tokenPuk);
                requests.Add(new PinRequest(token, GetSecret(given, PinErrors.PinRequired, parameter, $"New PIN for '{token.Label}'", true, token.Label), null, tokenPuk));
            }

            return requests;
        }

        /// <summary>
        /// Each token's PUK: with -AuthPuk/-SignPuk, per token (asked per token when one is missing); else the one
        /// -Puk (or one prompt) for every token, which the service sends to the next token only after the previous
        /// one accepted it. -Puk together with -AuthPuk/-SignPuk is refused before anything is asked or sent.
        /// Returns the shared PUK (null in per-token mode) and fills <paramref name="perToken"/>.
        /// </summary>
        protected SecureString? GetPuks(IReadOnlyList<Pkcs11Token> tokens, SecureString? puk, SecureString? authPuk, SecureString? signPuk, string prompt, Dictionary<Pkcs11Token, SecureString> perToken)
        {
            if (authPuk is null && signPuk is null)
            {
                return GetSecret(puk, PinErrors.PukRequired, "Puk", prompt, false, tokens[0].Label);
            }

            if (puk != null)
            {
                throw new EkengException(PinErrors.PukAmbiguous, "-Puk (one PUK for every token) and -AuthPuk/-SignPuk (one per token) exclude each other. Nothing was sent to the card.")
                {
                    RecommendedAction = "Give either -Puk, or -AuthPuk and -SignPuk.",
                };
            }

            foreach (Pkcs11Token token in tokens)
            {
                bool sign = token.Kind == PinKind.Sign;
                perToken[token] = GetSecret(sign ? signPuk : authPuk, PinErrors.PukRequired, sign ? "SignPuk" : "AuthPuk", $"{prompt} of '{token.Label}'", false, token.Label);
            }

            return null;
        }

        /// <summary>Writes a service failure for one card; the next card of the pipeline is still processed.</summary>
        protected void Report(EkengException e, EkengCard? card)
        {
            WriteEkengError(e, e.TargetObject ?? card?.ToString());
        }
    }
}
