using Ekeng.Diagnostics;
using Ekeng.Security;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// The user login of one command on one token, through the process-wide library (<see cref="Pkcs11LibraryRegistry"/>):
    /// a session of its own, C_Logout (whatever login an earlier command or another component left), then exactly
    /// ONE C_Login(CKU_USER) with the PIN given, checked by the token. The PIN lives only in a zeroed buffer for that
    /// call. A PKCS#11 login belongs to the application, not to a session, so every other user of the library in this
    /// process (OpenSSL's pkcs11 engine) sees the token logged in while this lease lives and finds the private key
    /// without logging in itself (it never gets the PIN). Dispose logs out: nothing logged in outlives the command,
    /// and the next command's PIN is checked again. The library is never finalised (see the registry).
    /// </summary>
    public sealed class TokenLogin : IDisposable
    {
        private static readonly object Gate = new object();
        private readonly ILogger _logger;
        private ISession? _session;

        private TokenLogin(ISession session, ulong slotId, string label, string serial, ILogger logger)
        {
            _session = session;
            SlotId = slotId;
            Label = label;
            SerialNumber = serial;
            _logger = logger;
        }

        /// <summary>The slot logged in.</summary>
        public ulong SlotId { get; }

        /// <summary>The token's label.</summary>
        public string Label { get; }

        /// <summary>The token's serial number (as C_GetTokenInfo gives it, trimmed).</summary>
        public string SerialNumber { get; }

        /// <summary>
        /// Logs in to the one token of <paramref name="modulePath"/> labelled <paramref name="tokenLabel"/> (and, when
        /// given, of serial <paramref name="tokenSerial"/>) with <paramref name="pin"/>, after logging out whatever login
        /// the token had. A wrong PIN is <c>PinIncorrect</c>, always; it is tried once and never retried.
        /// </summary>
        public static TokenLogin Open(string modulePath, string tokenLabel, string? tokenSerial, SecureString pin, ILogger logger)
        {
            if (pin is null || pin.Length == 0)
            {
                throw new EkengException(PinErrors.PinRequired, $"The PIN of '{tokenLabel}' is needed to log in with the card's key.")
                {
                    TargetObject = tokenLabel,
                };
            }

            IPkcs11Library library = Pkcs11LibraryRegistry.Get(modulePath, logger);
            lock (Gate)
            {
                ISlot slot = FindSlot(library, tokenLabel, tokenSerial, logger, out string serial);
                ISession session;
                try
                {
                    session = slot.OpenSession(SessionType.ReadOnly);
                }
                catch (Pkcs11Exception e)
                {
                    throw Map(e, tokenLabel);
                }

                try
                {
                    try
                    {
                        // A login left by an earlier command (or the engine) would make C_Login answer
                        // CKR_USER_ALREADY_LOGGED_IN without checking anything: log out first.
                        session.Logout();
                        logger.LogDebug("Token '{Label}' ({Serial}) was still logged in: logged out before this command's login.", tokenLabel, serial);
                    }
                    catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_NOT_LOGGED_IN)
                    {
                        // The usual case.
                    }

                    pin.UseUtf8Bytes(bytes =>
                    {
                        session.Login(CKU.CKU_USER, bytes);
                        return true;
                    });
                }
                catch (Pkcs11Exception e)
                {
                    session.Dispose();
                    throw Map(e, tokenLabel);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }

                logger.LogDebug("Logged in to '{Label}' ({Serial}, slot {Slot}) for this command (one C_Login).", tokenLabel, serial, slot.SlotId);
                return new TokenLogin(session, slot.SlotId, tokenLabel, serial, logger);
            }
        }

        /// <summary>C_Logout and close: the token is no longer logged in for anyone in this process.</summary>
        public void Dispose()
        {
            ISession? session = _session;
            _session = null;
            if (session is null)
            {
                return;
            }

            lock (Gate)
            {
                try
                {
                    session.Logout();
                }
                catch (Pkcs11Exception e)
                {
                    _logger.LogDebug("C_Logout on '{Label}' returned {Rv} (the card may be gone).", Label, e.RV);
                }

                try
                {
                    session.Dispose();
                }
                catch (Pkcs11Exception)
                {
                    // Already closed (the card was removed).
                }
            }

            _logger.LogDebug("Logged out of '{Label}' ({Serial}) at the end of the command.", Label, SerialNumber);
        }

        private static ISlot FindSlot(IPkcs11Library library, string label, string? serial, ILogger logger, out string foundSerial)
        {
            List<ISlot> slots;
            try
            {
                slots = library.GetSlotList(SlotsType.WithTokenPresent);
            }
            catch (Pkcs11Exception e)
            {
                throw Map(e, label);
            }

            Pkcs11LibraryRegistry.RememberSlots(library, slots);
            var matches = new List<(ISlot Slot, string Serial)>();
            foreach (ISlot slot in slots)
            {
                ITokenInfo info;
                try
                {
                    info = slot.GetTokenInfo();
                }
                catch (Pkcs11Exception e)
                {
                    logger.LogDebug("Slot {Slot}: C_GetTokenInfo returned {Rv}; skipped.", slot.SlotId, e.RV);
                    continue;
                }

                string tokenSerial = (info.SerialNumber ?? string.Empty).Trim();
                if (string.Equals((info.Label ?? string.Empty).Trim(), label, StringComparison.Ordinal)
                    && (string.IsNullOrEmpty(serial) || string.Equals(tokenSerial, serial, StringComparison.Ordinal)))
                {
                    matches.Add((slot, tokenSerial));
                }
            }

            if (matches.Count == 0)
            {
                throw new EkengException(TokenErrors.TokenNotFound, string.IsNullOrEmpty(serial) ? $"No token '{label}' is present." : $"The token '{label}' of serial {serial} is not present (was the card removed?).")
                {
                    RecommendedAction = "Insert the card and read it again with Get-EkengCard.",
                    TargetObject = label,
                };
            }

            if (matches.Count > 1)
            {
                // Never guess between two cards: a login on the other one would spend its try.
                throw new EkengException(TokenErrors.TokenAmbiguous, $"{matches.Count} tokens named '{label}' are present and none was named by its serial; no PIN was sent.")
                {
                    TargetObject = label,
                };
            }

            foundSerial = matches[0].Serial;
            return matches[0].Slot;
        }

        private static EkengException Map(Pkcs11Exception e, string label)
        {
            if (LoginCodes.IsWrongPin(e.RV))
            {
                return new EkengException(PinErrors.PinIncorrect, $"The PIN of '{label}' is incorrect (tried once; never retried by this module).", e)
                {
                    RecommendedAction = "Check the AuthPIN with Get-EkengCard (tries left) before trying again; a blocked PIN is unblocked with the PUK (Unblock-EkengPin).",
                    TargetObject = label,
                };
            }

            switch (e.RV)
            {
                case CKR.CKR_PIN_LOCKED:
                    return new EkengException(PinErrors.PinLocked, $"The PIN of '{label}' is blocked.", e)
                    {
                        TargetObject = label,
                    };
                case CKR.CKR_USER_PIN_NOT_INITIALIZED:
                    return new EkengException(PinErrors.PinNotInitialized, $"The PIN of '{label}' is not activated yet.", e)
                    {
                        TargetObject = label,
                    };
                case CKR.CKR_TOKEN_NOT_PRESENT:
                case CKR.CKR_DEVICE_REMOVED:
                case CKR.CKR_SLOT_ID_INVALID:
                    return new EkengException(TokenErrors.TokenNotFound, $"The token '{label}' is no longer present (was the card removed?).", e)
                    {
                        RecommendedAction = "Insert the card and read it again with Get-EkengCard.",
                        TargetObject = label,
                    };
                default:
                    return new Pkcs11CallException(e.Method ?? "C_Login", (ulong)e.RV, e);
            }
        }
    }
}
