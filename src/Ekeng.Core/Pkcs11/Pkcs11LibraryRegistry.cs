using Ekeng.Diagnostics;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// The PKCS#11 libraries of this process: each loaded and initialised ONCE per full path, and never finalised
    /// while the process lives. A PKCS#11 library's state is per process and shared by every component that loads
    /// it (Pkcs11Interop here, OpenSSL's libp11 engine for the TLS client key): a C_Finalize of ours would pull the
    /// library, and the logins and key handles, from under the engine (docs/ARCHITECTURE.md#pkcs11-one-library-per-process). A library another
    /// component initialised first answers C_Initialize with CKR_CRYPTOKI_ALREADY_INITIALIZED, which is tolerated.
    /// Tokens are read again with C_GetSlotList/C_GetTokenInfo, never by a re-initialisation.
    /// </summary>
    internal static class Pkcs11LibraryRegistry
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, IPkcs11Library> Libraries = new Dictionary<string, IPkcs11Library>(StringComparer.Ordinal);
        private static readonly Dictionary<IPkcs11Library, Dictionary<ulong, ISlot>> SlotsByLibrary = new Dictionary<IPkcs11Library, Dictionary<ulong, ISlot>>();
        private static readonly Pkcs11InteropFactories Factories = new Pkcs11InteropFactories();

        /// <summary>How many times a library was initialised in this process (for tests: once per path).</summary>
        internal static int Initialisations { get; private set; }

        /// <summary>The full path a library is registered under: one entry however it is spelled.</summary>
        internal static string Key(string path) => System.IO.Path.GetFullPath(path);

        /// <summary>The process-wide, initialised library at <paramref name="path"/>; loaded and initialised on first use.</summary>
        public static IPkcs11Library Get(string path, ILogger logger)
        {
            string key = Key(path);
            lock (Gate)
            {
                if (Libraries.TryGetValue(key, out IPkcs11Library? loaded))
                {
                    return loaded;
                }

                NativeLoaderFix.Ensure();
                ModuleArchitecture.EnsureLoadable(key);
                IPkcs11Library library;
                try
                {
                    // Pkcs11Interop accepts CKR_CRYPTOKI_ALREADY_INITIALIZED from C_Initialize (another component first).
                    library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, key, AppType.MultiThreaded);
                }
                catch (Pkcs11Exception e)
                {
                    throw new EkengException(TokenErrors.Pkcs11ModuleInitFailed, $"The PKCS#11 module '{key}' was loaded but refused to start: {e.Method} returned {e.RV}.", e)
                    {
                        TargetObject = key,
                    };
                }
                catch (LibraryArchitectureException e)
                {
                    // Pkcs11Interop's own check (its Platform.NativeULongSize against the loaded library) when the
                    // header read above could not tell, e.g. a Mach-O: the same clear error.
                    throw ModuleArchitecture.Mismatch(key, null, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture, e);
                }
                catch (Exception e) when (e is UnmanagedException || e is DllNotFoundException || e is BadImageFormatException || e is EntryPointNotFoundException)
                {
                    throw new EkengException(TokenErrors.Pkcs11ModuleLoadFailed, $"The PKCS#11 module '{key}' could not be loaded ({e.Message.TrimEnd('.')}).", e)
                    {
                        TargetObject = key,
                    };
                }

                Libraries[key] = library;
                Initialisations++;
                logger.LogDebug("PKCS#11 module '{Path}' initialised for the life of this process.", key);
                return library;
            }
        }

        /// <summary>
        /// The slot seen last under <paramref name="slotId"/> in <paramref name="library"/> (any handle's C_GetSlotList),
        /// so that reading a known token again costs its C_GetTokenInfo only. A slot id stays valid while the library
        /// is initialised; a reader gone answers CKR_SLOT_ID_INVALID, and the caller lists the slots again.
        /// </summary>
        public static bool TryGetSlot(IPkcs11Library library, ulong slotId, out ISlot? slot)
        {
            lock (Gate)
            {
                slot = null;
                return SlotsByLibrary.TryGetValue(library, out Dictionary<ulong, ISlot>? slots) && slots.TryGetValue(slotId, out slot);
            }
        }

        /// <summary>Remembers the slots a C_GetSlotList returned (see <see cref="TryGetSlot"/>).</summary>
        public static void RememberSlots(IPkcs11Library library, IEnumerable<ISlot> slots)
        {
            lock (Gate)
            {
                if (!SlotsByLibrary.TryGetValue(library, out Dictionary<ulong, ISlot>? known))
                {
                    known = new Dictionary<ulong, ISlot>();
                    SlotsByLibrary[library] = known;
                }

                foreach (ISlot slot in slots)
                {
                    known[slot.SlotId] = slot;
                }
            }
        }

        /// <summary>
        /// TESTS ONLY (called by reflection from the rigs): finalises every library so that the next use reads a
        /// new SOFTHSM2_CONF. Never called by the module itself: see the class summary.
        /// </summary>
        internal static void FinalizeAllForTests()
        {
            lock (Gate)
            {
                foreach (IPkcs11Library library in Libraries.Values)
                {
                    library.Dispose();
                }

                Libraries.Clear();
                SlotsByLibrary.Clear();
            }
        }
    }
}
