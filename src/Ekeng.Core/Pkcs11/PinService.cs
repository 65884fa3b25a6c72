using Ekeng.Diagnostics;
using Ekeng.Security;
using Net.Pkcs11Interop.Common;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// The PIN lifecycle over PKCS#11: activation and unblocking with the PUK, change with the current PIN.
    /// Every check that needs no secret (state, guards) and every check of the new PIN (length, digits, not the PUK)
    /// runs for all tokens before anything is sent to any token. A failed PIN or PUK is never tried again, and
    /// a PUK is never sent to a token that reports it at its final try or locked unless forced.
    /// </summary>
    public sealed class PinService
    {
        private readonly ILogger _logger;
        private readonly IPkcs11ModuleLoader _loader;

        public PinService(ILogger? logger = null)
            : this(logger, new InteropModuleLoader(logger))
        {
        }

        internal PinService(ILogger? logger, IPkcs11ModuleLoader loader)
        {
            _logger = logger ?? NullLogger.Instance;
            _loader = loader;
        }

        /// <summary>
        /// Runs <paramref name="operation"/> on each request's token, in order, and returns the tokens done.
        /// <paramref name="confirmForcedUse"/> is asked (on the calling thread) before a secret is sent to a token
        /// whose guard <paramref name="force"/> overrides; false stops with nothing sent.
        /// </summary>
        public IReadOnlyList<Pkcs11Token> Execute(PinOperation operation, string modulePath, IReadOnlyList<PinRequest> requests, SecureString? puk, bool force, Confirmation? confirmForcedUse = null)
        {
            if (requests is null || requests.Count == 0)
            {
                throw new ArgumentException("At least one token is needed.", nameof(requests));
            }

            foreach (PinRequest request in requests)
            {
                if (operation == PinOperation.Change && request.CurrentPin is null)
                {
                    throw new ArgumentException("Changing a PIN needs the current PIN.", nameof(requests));
                }

                if (operation != PinOperation.Change && (request.Puk ?? puk) is null)
                {
                    throw new ArgumentNullException(nameof(puk));
                }
            }

            using (IPkcs11Module module = _loader.Open(modulePath))
            {
                // The state the guards judge is read again now (one C_GetTokenInfo per token, no secret sent).
                var plan = new List<KeyValuePair<PinRequest, Pkcs11Token>>();
                foreach (PinRequest request in requests)
                {
                    Pkcs11Token? fresh = module.ReadToken(request.Token);
                    if (fresh is null)
                    {
                        throw new EkengException(TokenErrors.TokenNotFound, $"The token '{request.Token.Label}' of serial {request.Token.SerialNumber} in slot {request.Token.SlotId} is no longer present in '{modulePath}'. Nothing was sent to the card.")
                        {
                            TargetObject = request.Token.Label,
                        };
                    }

                    plan.Add(new KeyValuePair<PinRequest, Pkcs11Token>(request, fresh));
                }

                foreach (var step in plan)
                {
                    CheckState(operation, step.Value);
                }

                // Every secret is checked against every token's rules before the first one is sent anywhere.
                foreach (var step in plan)
                {
                    SecureString? tokenPuk = step.Key.Puk ?? puk;
                    if (operation == PinOperation.Change)
                    {
                        ValidateSecret(step.Value, step.Key.CurrentPin!, PinSecretKind.CurrentPin);
                    }
                    else
                    {
                        ValidateSecret(step.Value, tokenPuk!, PinSecretKind.Puk);
                    }

                    ValidateNewPin(step.Value, step.Key.NewPin, operation == PinOperation.Change ? null : tokenPuk, step.Key.CurrentPin);
                }

                foreach (var step in plan)
                {
                    Guard(operation, step.Value, force, confirmForcedUse);
                }

                // In order; a secret shared by several tokens reaches the next token only after the previous one
                // accepted it, and the first refusal stops everything (never a second try, never the next token).
                var done = new List<Pkcs11Token>();
                for (int i = 0; i < plan.Count; i++)
                {
                    Pkcs11Token token = plan[i].Value;
                    PinRequest request = plan[i].Key;
                    try
                    {
                        if (operation == PinOperation.Change)
                        {
                            SecureString current = request.CurrentPin!;
                            _logger.LogInformation("Changing the PIN of '{Label}' in slot {Slot}: C_SetPIN in a read/write session.", token.Label, token.SlotId);
                            current.UseUtf8Bytes(c => request.NewPin.UseUtf8Bytes(n =>
                            {
                                module.SetPin(token.SlotId, c, n);
                                return true;
                            }));
                        }
                        else
                        {
                            SecureString tokenPuk = (request.Puk ?? puk)!;
                            _logger.LogInformation("Setting the PIN of '{Label}' in slot {Slot} with the PUK: C_Login as SO, then C_InitPIN in a read/write session.", token.Label, token.SlotId);
                            tokenPuk.UseUtf8Bytes(p => request.NewPin.UseUtf8Bytes(n =>
                            {
                                module.InitPin(token.SlotId, p, n);
                                return true;
                            }));
                        }
                    }
                    catch (Pkcs11CallException e)
                    {
                        bool shared = i > 0 && (operation == PinOperation.Change
                            ? plan.Take(i).Any(p => ReferenceEquals(p.Key.CurrentPin, request.CurrentPin))
                            : plan.Take(i).Any(p => ReferenceEquals(p.Key.Puk ?? puk, request.Puk ?? puk)));
                        throw MapFailure(operation, e, token, module, done, plan.Skip(i + 1).Select(p => p.Value).ToList(), shared);
                    }

                    _logger.LogInformation("'{Label}': the PIN is set.", token.Label);
                    done.Add(token);
                }

                return done;
            }
        }

        /// <summary>
        /// Checks a secret that the token will judge (the current PIN, the PUK) before it is sent, so that a typing
        /// slip never costs a try: not empty, within ulMinPinLen..ulMaxPinLen (PKCS#11 has one pair of bounds; it is
        /// used for the PUK, the SO PIN, as well), digits only on ARMID tokens (leading zeros are digits).
        /// </summary>
        public static void ValidateSecret(Pkcs11Token token, SecureString secret, PinSecretKind kind)
        {
            if (token is null)
            {
                throw new ArgumentNullException(nameof(token));
            }

            PinStatus status = token.Pin;
            string name = kind == PinSecretKind.Puk ? "PUK" : "current PIN";
            string parameter = kind == PinSecretKind.Puk ? "-Puk (or -AuthPuk/-SignPuk)" : "-CurrentPin (or -CurrentAuthPin/-CurrentSignPin)";
            int length = secret?.Length ?? 0;
            int min = Math.Max(1, status.MinLength);
            if (length < min || length > status.MaxLength)
            {
                string bound = status.MaxLength == int.MaxValue ? $"at least {min}" : $"{min} to {status.MaxLength}";
                string what = length == 0 ? "empty" : length < min ? $"shorter than the token allows ({min})" : $"longer than the token allows ({status.MaxLength})";
                throw new PinOperationException(kind == PinSecretKind.Puk ? PinErrors.PukLengthOutOfRange : PinErrors.CurrentPinLengthOutOfRange, $"The {name} given for '{token.Label}' is {what}; the token takes {bound} characters. It was not sent: no try was used.", status)
                {
                    RecommendedAction = $"Check the {name} ({parameter}) and run the command again.",
                };
            }

            if (token.RequiresDigits && !secret!.IsDigitsOnly())
            {
                throw new PinOperationException(kind == PinSecretKind.Puk ? PinErrors.PukNotDigits : PinErrors.CurrentPinNotDigits, $"The {name} given for '{token.Label}' is not digits only, which ARMID {name}s are. It was not sent: no try was used.", status)
                {
                    RecommendedAction = $"Check the {name} ({parameter}): digits 0-9 only; leading zeros are part of it.",
                };
            }
        }

        /// <summary>What a failure after a partial success must say: what WAS done, and what was not tried.</summary>
        internal static string DoneText(PinOperation operation, IReadOnlyList<Pkcs11Token> done, IReadOnlyList<Pkcs11Token> notSent, bool sharedSecret)
        {
            var text = new System.Text.StringBuilder();
            if (done.Count > 0)
            {
                string verb = operation == PinOperation.Change ? "changed" : "set";
                text.Append($" Before this failure the PIN of {string.Join(" and ", done.Select(t => "'" + t.Label + "'"))} WAS {verb}: use the new PIN there.");
                if (sharedSecret)
                {
                    string which = operation == PinOperation.Change ? "current PIN (-CurrentAuthPin, -CurrentSignPin)" : "PUK (-AuthPuk, -SignPuk)";
                    text.Append($" The one secret given for every token was accepted there but not here: if this token's differs, give each token its own {which}.");
                }
            }

            if (notSent.Count > 0)
            {
                text.Append($" Nothing was sent to {string.Join(" and ", notSent.Select(t => "'" + t.Label + "'"))}.");
            }

            return text.ToString();
        }

        /// <summary>Refuses an operation the token's state does not allow (no secret needed, nothing sent).</summary>
        public static void CheckState(PinOperation operation, Pkcs11Token token)
        {
            PinStatus pin = token.Pin;
            if (operation == PinOperation.Activate && pin.Initialized)
            {
                throw new PinOperationException(PinErrors.PinAlreadyInitialized, $"The PIN of '{token.Label}' is already set; activation is only for a new card. No PUK was sent.", pin);
            }

            if (operation != PinOperation.Activate && !pin.Initialized)
            {
                throw new PinOperationException(PinErrors.PinNotInitialized, $"The PIN of '{token.Label}' was never set. Nothing was sent to the card.", pin)
                {
                    RecommendedAction = "Activate it first with Initialize-EkengPin and the card's Initial PUK.",
                };
            }
        }

        /// <summary>
        /// Checks a new PIN against the token's rules before anything is sent: length within ulMinPinLen..ulMaxPinLen,
        /// digits only on ARMID tokens (leading zeros are kept), not the PUK, not the current PIN.
        /// </summary>
        public static void ValidateNewPin(Pkcs11Token token, SecureString newPin, SecureString? puk, SecureString? currentPin)
        {
            PinStatus status = token.Pin;
            int length = newPin.Length;
            if (length == 0 || length < status.MinLength || length > status.MaxLength)
            {
                string bound = status.MaxLength == int.MaxValue ? $"at least {Math.Max(1, status.MinLength)}" : $"{Math.Max(1, status.MinLength)} to {status.MaxLength}";
                string side = length > status.MaxLength ? "longer than" : "shorter than";
                string limit = length > status.MaxLength ? status.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture) : Math.Max(1, status.MinLength).ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new PinOperationException(PinErrors.PinLengthOutOfRange, $"The new PIN for '{token.Label}' is {side} the token allows ({limit}); it takes {bound} characters. Nothing was sent to the card.", status)
                {
                    RecommendedAction = $"Choose a PIN of {bound} characters.",
                };
            }

            if (token.RequiresDigits && !newPin.IsDigitsOnly())
            {
                throw new PinOperationException(PinErrors.PinNotDigits, $"The new PIN for '{token.Label}' must consist of digits only. Nothing was sent to the card.", status);
            }

            if (puk != null && newPin.SecretEquals(puk))
            {
                throw new PinOperationException(PinErrors.PinEqualsPuk, $"The new PIN for '{token.Label}' is the same as the PUK. Nothing was sent to the card.", status);
            }

            if (currentPin != null && newPin.SecretEquals(currentPin))
            {
                throw new PinOperationException(PinErrors.PinUnchanged, $"The new PIN for '{token.Label}' is the same as the current one. Nothing was sent to the card.", status);
            }
        }

        /// <summary>The second entry of a new PIN must equal the first (the manual's confirmation field).</summary>
        public static void EnsureConfirmed(SecureString pin, SecureString confirmation, string tokenLabel)
        {
            if (!pin.SecretEquals(confirmation))
            {
                throw new EkengException(PinErrors.PinConfirmationMismatch, $"The two entries of the new PIN for '{tokenLabel}' differ. Nothing was sent to the card.")
                {
                    TargetObject = tokenLabel,
                };
            }
        }

        /// <summary>
        /// Never sends a secret that the token says is at its final try or locked, unless forced; forced, asks
        /// <paramref name="confirm"/> once more.
        /// </summary>
        internal void Guard(PinOperation operation, Pkcs11Token token, bool force, Confirmation? confirm)
        {
            PinStatus s = token.Pin;
            bool usesPuk = operation != PinOperation.Change;
            bool locked = usesPuk ? s.PukLocked : s.Locked;
            bool finalTry = usesPuk ? s.PukFinalTry : s.FinalTry;
            if (!locked && !finalTry)
            {
                return;
            }

            string secret = usesPuk ? "PUK" : "PIN";
            EkengError id = usesPuk ? (locked ? PinErrors.PukLocked : PinErrors.PukFinalTry) : (locked ? PinErrors.PinLocked : PinErrors.PinFinalTry);
            string state = locked ? "LOCKED" : "at its FINAL try (one more wrong entry locks it)";
            if (!force)
            {
                string action = usesPuk
                    ? (locked ? "A locked PUK cannot be unlocked by the module: the card must be replaced or reset by the issuer (EKENG)." : "Make sure the PUK is right (the card's PIN envelope), then run the command again with -Force.")
                    : (locked ? "Set a new PIN with the PUK: Unblock-EkengPin." : "Make sure the current PIN is right, then run again with -Force; or set a new PIN with the PUK: Unblock-EkengPin.");
                throw new PinOperationException(id, $"The token '{token.Label}' reports its {secret} {state}. The {secret} was not sent.", s)
                {
                    RecommendedAction = action,
                };
            }

            string question = $"The token '{token.Label}' reports its {secret} {state}. Send the {secret} anyway?";
            if (confirm != null && !confirm(token.Label, question))
            {
                throw new PinOperationException(PinErrors.ForcedSecretDeclined, $"Stopped: the {secret} was not sent to '{token.Label}'.", s);
            }

            _logger.LogWarning("-Force: sending the {Secret} to '{Label}' although the token reports it {State}.", secret, token.Label, locked ? "LOCKED" : "at its final try");
        }

        private static readonly Func<PinOperation, string, bool> PukLogin = (operation, function) => operation != PinOperation.Change && function == "C_Login";
        private static readonly Func<PinOperation, string, bool> PinChange = (operation, function) => operation == PinOperation.Change && function == "C_SetPIN";
        private static readonly Func<PinOperation, string, bool> AnyCall = (operation, function) => true;

        /// <summary>How a failed PKCS#11 call reads to the user: the first row that applies wins; none = Pkcs11Error.</summary>
        private static readonly PinFailureRule[] FailureRules =
        {
            new PinFailureRule(PukLogin, new[] { (ulong)CKR.CKR_PIN_INCORRECT }, PinErrors.PukIncorrect,
                f => $"The PUK was not accepted by '{f.Label}'. {f.State.PukTriesText} It was not tried again.{f.DoneText}",
                "Check the PUK (the Initial PUK in the card's PIN envelope). Do not guess: a few wrong tries lock it for good."),
            new PinFailureRule(PukLogin, new[] { (ulong)CKR.CKR_PIN_LOCKED }, PinErrors.PukLocked,
                f => $"The PUK of '{f.Label}' is locked.{f.DoneText}",
                "A locked PUK cannot be unlocked by the module: contact the card issuer (EKENG)."),
            new PinFailureRule(PukLogin, new[] { (ulong)CKR.CKR_PIN_LEN_RANGE, (ulong)CKR.CKR_PIN_INVALID }, PinErrors.PukIncorrect,
                f => $"The token '{f.Label}' refused the PUK's format ({f.ReturnValueName}). {f.State.PukTriesText}{f.DoneText}",
                "Check the PUK (the Initial PUK in the card's PIN envelope)."),
            new PinFailureRule(PukLogin, new[] { (ulong)CKR.CKR_USER_ALREADY_LOGGED_IN, (ulong)CKR.CKR_USER_ANOTHER_ALREADY_LOGGED_IN }, TokenErrors.TokenBusy,
                f => $"Another session of this process is logged in to '{f.Label}'.{f.DoneText}",
                "Close the other program or session that uses the card, then try again."),
            new PinFailureRule(PinChange, new[] { (ulong)CKR.CKR_PIN_INCORRECT }, PinErrors.PinIncorrect,
                f => $"The current PIN was not accepted by '{f.Label}'. {f.State.PinTriesText} It was not tried again.{f.DoneText}",
                "Check the current PIN. If it is forgotten or locked, set a new one with the PUK: Unblock-EkengPin."),
            new PinFailureRule(PinChange, new[] { (ulong)CKR.CKR_PIN_LOCKED }, PinErrors.PinLocked,
                f => $"The PIN of '{f.Label}' is locked.{f.DoneText}",
                "Set a new PIN with the PUK: Unblock-EkengPin."),
            new PinFailureRule(PinChange, new[] { (ulong)CKR.CKR_USER_PIN_NOT_INITIALIZED }, PinErrors.PinNotInitialized,
                f => $"The PIN of '{f.Label}' was never set.{f.DoneText}",
                "Activate it first with Initialize-EkengPin and the card's Initial PUK."),
            new PinFailureRule(AnyCall, new[] { (ulong)CKR.CKR_PIN_LEN_RANGE }, PinErrors.PinLengthOutOfRange,
                f => $"The token '{f.Label}' refused the new PIN's length.{f.DoneText}",
                f => $"Choose a PIN of {f.State.MinLength} to {f.State.MaxLength} characters."),
            new PinFailureRule(AnyCall, new[] { (ulong)CKR.CKR_PIN_INVALID }, PinErrors.PinInvalid,
                f => $"The token '{f.Label}' refused characters of the new PIN.{f.DoneText}",
                "Choose a PIN of digits only."),
            new PinFailureRule(AnyCall, new[] { (ulong)CKR.CKR_TOKEN_NOT_PRESENT, (ulong)CKR.CKR_DEVICE_REMOVED, (ulong)CKR.CKR_SLOT_ID_INVALID }, TokenErrors.TokenNotFound,
                f => $"The card was removed or the token '{f.Label}' disappeared during the operation ({f.ReturnValueName}).{f.DoneText}",
                "Insert the card again, check its state with Get-EkengCard, then repeat only what was not done."),
            new PinFailureRule(AnyCall, new[] { (ulong)CKR.CKR_TOKEN_WRITE_PROTECTED }, TokenErrors.TokenWriteProtected,
                f => $"The token '{f.Label}' is write-protected.{f.DoneText}",
                (string?)null),
        };

        private PinOperationException MapFailure(PinOperation operation, Pkcs11CallException e, Pkcs11Token token, IPkcs11Module module, IReadOnlyList<Pkcs11Token> done, IReadOnlyList<Pkcs11Token> notSent, bool sharedSecret)
        {
            PinStatus? after = null;
            try
            {
                after = module.ReadToken(token)?.Pin;
            }
            catch (EkengException)
            {
                // The state after the failure is a courtesy; the failure itself is what counts.
            }

            string doneText = DoneText(operation, done, notSent, sharedSecret);
            _logger.LogDebug("{Function} on '{Label}' returned {Rv}.", e.Function, token.Label, e.ReturnValueName);
            var failure = new PinFailure(token.Label, after ?? token.Pin, e.ReturnValueName, doneText);
            foreach (PinFailureRule rule in FailureRules)
            {
                if (rule.Applies(operation, e.Function) && Array.IndexOf(rule.ReturnValues, e.ReturnValue) >= 0)
                {
                    return new PinOperationException(rule.Error, rule.Message(failure), after, e)
                    {
                        RecommendedAction = rule.RecommendedAction?.Invoke(failure),
                    };
                }
            }

            return new PinOperationException(TokenErrors.Pkcs11Error, $"'{token.Label}': {e.Function} returned {e.ReturnValueName}.{doneText}", after, e);
        }
    }
}
