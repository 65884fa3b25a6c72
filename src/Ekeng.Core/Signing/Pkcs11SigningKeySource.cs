using Ekeng.Certificates;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.Security;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Signing
{
    /// <summary>
    /// The signing key of a certificate's token through the process-wide PKCS#11 library
    /// (<see cref="Pkcs11LibraryRegistry"/>: initialised once, never finalised): one session, one C_Login(CKU_USER)
    /// for every file of a command, the private key found by the certificate's CKA_ID. Only public attributes of the
    /// key are read (CKA_ALWAYS_AUTHENTICATE); its value never leaves the token.
    /// </summary>
    internal sealed class Pkcs11SigningKeySource : ISigningKeySource
    {
        private readonly ILogger _logger;

        public Pkcs11SigningKeySource(ILogger? logger = null)
        {
            _logger = logger ?? NullLogger.Instance;
        }

        public ISigningKey Open(EkengCertificate certificate, SecureString pin)
        {
            Pkcs11Token token = certificate.Token ?? throw new EkengException(SigningErrors.SigningCertificateNotFound, "The signing certificate was not read from a token.");
            IPkcs11Library library = Pkcs11LibraryRegistry.Get(token.ModulePath, _logger);
            ISlot slot = FindSlot(library, token);
            ISession session = Call("C_OpenSession", () => slot.OpenSession(SessionType.ReadOnly));
            try
            {
                Login(session, token, pin);
                var attributes = library.Factories.ObjectAttributeFactory;
                var template = new List<IObjectAttribute>
                {
                    attributes.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                    attributes.Create(CKA.CKA_ID, certificate.GetObjectId()),
                };
                IObjectHandle? key = Call("C_FindObjects", () => session.FindAllObjects(template)).FirstOrDefault();
                if (key is null)
                {
                    throw new EkengException(SigningErrors.SigningKeyNotFound, $"The token '{token.Label}' holds no private key for the certificate '{certificate.Subject}' (CKA_ID {certificate.ObjectId}).")
                    {
                        TargetObject = token.Label,
                    };
                }

                IObjectAttribute always = Call("C_GetAttributeValue", () => session.GetAttributeValue(key, new List<CKA> { CKA.CKA_ALWAYS_AUTHENTICATE }))[0];
                bool alwaysAuthenticate = !always.CannotBeRead && always.GetValueAsBool();
                _logger.LogDebug("Logged in to '{Label}'; signing key found (CKA_ALWAYS_AUTHENTICATE {Always}).", token.Label, alwaysAuthenticate);
                return new Key(session, key, token, pin, alwaysAuthenticate, library.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS));
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        private static ISlot FindSlot(IPkcs11Library library, Pkcs11Token token)
        {
            if (!Pkcs11LibraryRegistry.TryGetSlot(library, token.SlotId, out ISlot? slot) || slot is null)
            {
                List<ISlot> slots = Call("C_GetSlotList", () => library.GetSlotList(SlotsType.WithTokenPresent));
                Pkcs11LibraryRegistry.RememberSlots(library, slots);
                slot = slots.FirstOrDefault(s => s.SlotId == token.SlotId);
            }

            ITokenInfo? info = null;
            try
            {
                info = slot?.GetTokenInfo();
            }
            catch (Pkcs11Exception)
            {
                info = null;
            }

            if (slot is null || info is null || info.Label.Trim() != token.Label || info.SerialNumber.Trim() != token.SerialNumber)
            {
                throw new EkengException(TokenErrors.TokenNotFound, $"The token '{token.Label}' (serial {token.SerialNumber}) is no longer present. Nothing was signed.")
                {
                    TargetObject = token.Label,
                };
            }

            return slot;
        }

        private void Login(ISession session, Pkcs11Token token, SecureString pin)
        {
            try
            {
                pin.UseUtf8Bytes(bytes =>
                {
                    session.Login(CKU.CKU_USER, bytes);
                    return true;
                });
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Another session of this process is logged in: the PIN given is still checked (log out, log in).
                _logger.LogDebug("'{Label}' was logged in already; logging in again so that the PIN given is checked.", token.Label);
                try
                {
                    session.Logout();
                }
                catch (Pkcs11Exception)
                {
                    // Nothing to log out.
                }

                Login(session, token, pin);
            }
            catch (Pkcs11Exception e)
            {
                throw LoginFailure(token, e);
            }
        }

        internal static EkengException LoginFailure(Pkcs11Token token, Pkcs11Exception e)
        {
            if (LoginCodes.IsWrongPin(e.RV))
            {
                return new EkengException(SigningErrors.SignPinIncorrect, $"The card refused the PIN of '{token.Label}' (SignPIN). Nothing was signed; the failed try counts on the card.", e)
                {
                    TargetObject = token.Label,
                };
            }

            if (e.RV == CKR.CKR_PIN_LOCKED)
            {
                return new EkengException(SigningErrors.SignPinLocked, $"The PIN of '{token.Label}' (SignPIN) is blocked. Nothing was signed.", e)
                {
                    RecommendedAction = "Unblock it with the PUK: Unblock-EkengPin.",
                    TargetObject = token.Label,
                };
            }

            return new EkengException(SigningErrors.SigningTokenError, $"The token '{token.Label}' failed: {e.Method} returned {CkrNames.Name((ulong)e.RV)}. Nothing was signed.", e)
            {
                TargetObject = token.Label,
            };
        }

        private static T Call<T>(string function, Func<T> call)
        {
            try
            {
                return call();
            }
            catch (Pkcs11Exception e)
            {
                throw new EkengException(SigningErrors.SigningTokenError, $"The token failed: {e.Method ?? function} returned {CkrNames.Name((ulong)e.RV)}. Nothing was signed.", e);
            }
        }

        private sealed class Key : ISigningKey
        {
            private readonly ISession _session;
            private readonly IObjectHandle _key;
            private readonly Pkcs11Token _token;
            private readonly SecureString _pin;
            private readonly IMechanism _mechanism;

            public Key(ISession session, IObjectHandle key, Pkcs11Token token, SecureString pin, bool alwaysAuthenticate, IMechanism mechanism)
            {
                _session = session;
                _key = key;
                _token = token;
                _pin = pin;
                AlwaysAuthenticate = alwaysAuthenticate;
                _mechanism = mechanism;
            }

            public bool AlwaysAuthenticate { get; }

            public byte[] SignDigestInfo(byte[] digestInfo)
            {
                try
                {
                    if (!AlwaysAuthenticate)
                    {
                        return _session.Sign(_mechanism, _key, digestInfo);
                    }

                    // C_SignInit, C_Login(CKU_CONTEXT_SPECIFIC, pin), C_Sign: the key asks for its PIN at every signature.
                    return _pin.UseUtf8Bytes(bytes => _session.Sign(_mechanism, _key, bytes, digestInfo));
                }
                catch (Pkcs11Exception e) when (e.Method == "C_Login")
                {
                    throw LoginFailure(_token, e);
                }
                catch (Pkcs11Exception e)
                {
                    throw new EkengException(SigningErrors.SigningTokenError, $"The token '{_token.Label}' could not sign: {e.Method} returned {CkrNames.Name((ulong)e.RV)}.", e)
                    {
                        TargetObject = _token.Label,
                    };
                }
            }

            public void Dispose()
            {
                try
                {
                    _session.Logout();
                }
                catch (Pkcs11Exception)
                {
                    // Closing the session below ends the login too.
                }

                try
                {
                    _session.Dispose();
                }
                catch (Pkcs11Exception)
                {
                    // The card was removed: nothing to release.
                }
            }
        }
    }
}
