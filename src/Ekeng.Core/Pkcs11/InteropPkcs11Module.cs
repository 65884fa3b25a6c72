using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// One user's handle on a process-wide, initialised PKCS#11 library. Disposing it closes the sessions it
    /// opened, never the library. The slots seen are kept for the library (<see cref="Pkcs11LibraryRegistry.TryGetSlot"/>),
    /// so that an operation on a token listed before needs no second C_GetSlotList.
    /// </summary>
    internal sealed class InteropPkcs11Module : IPkcs11Module
    {
        private readonly IPkcs11Library _library;
        private readonly ILogger _logger;
        private readonly List<ISession> _sessions = new List<ISession>();
        private bool _disposed;

        public InteropPkcs11Module(string path, IPkcs11Library library, ILogger logger)
        {
            Path = path;
            _library = library;
            _logger = logger;
        }

        public string Path { get; }

        public IReadOnlyList<Pkcs11Token> GetTokens()
        {
            var tokens = new List<Pkcs11Token>();
            List<ISlot> slots = Call("C_GetSlotList", () => _library.GetSlotList(SlotsType.WithTokenPresent));
            Pkcs11LibraryRegistry.RememberSlots(_library, slots);
            foreach (ISlot slot in slots)
            {
                try
                {
                    // C_GetTokenInfo first: an uninitialised token (SoftHSM's spare slot) costs no C_GetSlotInfo.
                    ITokenInfo info = slot.GetTokenInfo();
                    ulong flags = info.TokenFlags.Flags;
                    if ((flags & Pkcs11Flags.TokenInitialized) == 0)
                    {
                        _logger.LogDebug("Slot {Slot} holds an uninitialised token; skipped.", slot.SlotId);
                        continue;
                    }

                    ISlotInfo slotInfo = slot.GetSlotInfo();
                    tokens.Add(new Pkcs11Token(Path, slot.SlotId, slotInfo.SlotDescription, info.Label, info.SerialNumber, info.Model, info.ManufacturerId, flags, info.MinPinLen, info.MaxPinLen));
                }
                catch (Pkcs11Exception e)
                {
                    // A token removed or unreadable between C_GetSlotList and C_GetTokenInfo: not a card to show.
                    _logger.LogDebug("Slot {Slot}: {Method} returned {Rv}; skipped.", slot.SlotId, e.Method, e.RV);
                }
            }

            return tokens;
        }

        public Pkcs11Token? ReadToken(Pkcs11Token known)
        {
            ISlot slot;
            try
            {
                slot = FindSlot(known.SlotId);
            }
            catch (Pkcs11CallException e) when (e.ReturnValue == (ulong)CKR.CKR_TOKEN_NOT_PRESENT)
            {
                return null;
            }

            ITokenInfo info;
            try
            {
                info = slot.GetTokenInfo();
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_TOKEN_NOT_PRESENT || e.RV == CKR.CKR_SLOT_ID_INVALID || e.RV == CKR.CKR_DEVICE_REMOVED || e.RV == CKR.CKR_TOKEN_NOT_RECOGNIZED)
            {
                _logger.LogDebug("Slot {Slot}: {Method} returned {Rv}: the token is gone.", known.SlotId, e.Method, e.RV);
                return null;
            }
            catch (Pkcs11Exception e)
            {
                throw new Pkcs11CallException(e.Method ?? "C_GetTokenInfo", (ulong)e.RV, e);
            }

            var fresh = new Pkcs11Token(Path, known.SlotId, known.SlotDescription, info.Label, info.SerialNumber, info.Model, info.ManufacturerId, info.TokenFlags.Flags, info.MinPinLen, info.MaxPinLen);
            return fresh.IsSameToken(known) && (fresh.Flags & Pkcs11Flags.TokenInitialized) != 0 ? fresh : null;
        }

        public void InitPin(ulong slotId, byte[] puk, byte[] newPin)
        {
            ISlot slot = FindSlot(slotId);
            using (ISession session = Open(slot, SessionType.ReadWrite))
            {
                Call("C_Login", () => session.Login(CKU.CKU_SO, puk));
                try
                {
                    Call("C_InitPIN", () => session.InitPin(newPin));
                }
                finally
                {
                    TryLogout(session);
                }
            }
        }

        public void SetPin(ulong slotId, byte[] currentPin, byte[] newPin)
        {
            ISlot slot = FindSlot(slotId);
            using (ISession session = Open(slot, SessionType.ReadWrite))
            {
                Call("C_SetPIN", () => session.SetPin(currentPin, newPin));
            }
        }

        public IReadOnlyList<Pkcs11CertificateObject> GetCertificates(ulong slotId)
        {
            ISlot slot = FindSlot(slotId);
            var result = new List<Pkcs11CertificateObject>();
            using (ISession session = Open(slot, SessionType.ReadOnly))
            {
                var attributes = _library.Factories.ObjectAttributeFactory;
                var template = new List<IObjectAttribute>
                {
                    attributes.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE),
                    attributes.Create(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509),
                };
                List<IObjectHandle> handles = Call("C_FindObjects", () => session.FindAllObjects(template));
                foreach (IObjectHandle handle in handles)
                {
                    List<IObjectAttribute> values = Call("C_GetAttributeValue", () => session.GetAttributeValue(handle, new List<CKA> { CKA.CKA_VALUE, CKA.CKA_LABEL, CKA.CKA_ID }));
                    if (values[0].CannotBeRead)
                    {
                        continue;
                    }

                    result.Add(new Pkcs11CertificateObject(
                        values[0].GetValueAsByteArray() ?? Array.Empty<byte>(),
                        values[1].CannotBeRead ? string.Empty : values[1].GetValueAsString() ?? string.Empty,
                        values[2].CannotBeRead ? Array.Empty<byte>() : values[2].GetValueAsByteArray() ?? Array.Empty<byte>()));
                }
            }

            return result;
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;

            // Sessions still open after a failure in the middle of an operation; the library stays initialised.
            foreach (ISession session in _sessions)
            {
                try
                {
                    session.Dispose();
                }
                catch (Pkcs11Exception)
                {
                    // Already closed (the card was removed): nothing to release.
                }
            }

            _sessions.Clear();
        }

        private ISession Open(ISlot slot, SessionType type)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(InteropPkcs11Module));
            }

            ISession session = Call("C_OpenSession", () => slot.OpenSession(type));
            _sessions.Add(session);
            return session;
        }

        private ISlot FindSlot(ulong slotId)
        {
            if (Pkcs11LibraryRegistry.TryGetSlot(_library, slotId, out ISlot? known) && known != null)
            {
                return known;
            }

            List<ISlot> slots = Call("C_GetSlotList", () => _library.GetSlotList(SlotsType.WithTokenPresent));
            Pkcs11LibraryRegistry.RememberSlots(_library, slots);
            foreach (ISlot slot in slots)
            {
                if (slot.SlotId == slotId)
                {
                    return slot;
                }
            }

            throw new Pkcs11CallException("C_GetSlotList", (ulong)CKR.CKR_TOKEN_NOT_PRESENT);
        }

        private static void TryLogout(ISession session)
        {
            try
            {
                session.Logout();
            }
            catch (Pkcs11Exception)
            {
                // Closing the session logs out as well.
            }
        }

        private static T Call<T>(string function, Func<T> call)
        {
            try
            {
                return call();
            }
            catch (Pkcs11Exception e)
            {
                throw new Pkcs11CallException(e.Method ?? function, (ulong)e.RV, e);
            }
        }

        private static void Call(string function, Action call)
        {
            try
            {
                call();
            }
            catch (Pkcs11Exception e)
            {
                throw new Pkcs11CallException(e.Method ?? function, (ulong)e.RV, e);
            }
        }
    }
}
