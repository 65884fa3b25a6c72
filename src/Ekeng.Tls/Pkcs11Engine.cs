using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security;
using Ekeng.Security;
using Ekeng.Pkcs11;

namespace Ekeng.Tls
{
    /// <summary>
    /// OpenSSL 3's ENGINE "pkcs11" (Debian libengine-pkcs11-openssl, libp11), initialised ONCE per process with the
    /// card's PKCS#11 library as MODULE_PATH and never finished: finishing it would finalise the library under the
    /// module's own use of it (docs/PIN-HARDENING.md). It is never given a PIN: the command logs in itself
    /// (<see cref="Ekeng.Pkcs11.TokenLogin"/>, one checked C_Login) and logs out at its end, so libp11 neither
    /// keeps a PIN nor a login of its own.
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal static unsafe class Pkcs11Engine
    {
        public const string EngineId = "pkcs11";
        public const string DebianPackage = "libengine-pkcs11-openssl";
        private static readonly object Gate = new object();
        private static IntPtr _engine;
        private static string? _modulePath;
        private static IntPtr _noPromptUi;

        /// <summary>The module path the engine was initialised with (null before the first use).</summary>
        public static string? ModulePath => _modulePath;

        /// <summary>
        /// Loads the private key <paramref name="uri"/> of a token the caller has ALREADY logged in to for this command
        /// (<see cref="Ekeng.Pkcs11.TokenLogin"/>): the engine never gets a PIN, never logs in itself (a login would be
        /// a second C_Login, and libp11 would keep a copy of the PIN and its own "logged in" flag for the process), and
        /// is never allowed to prompt. Its diagnostics go to the logger at Debug level, never to the terminal.
        /// </summary>
        public static SafeEvpPKeyHandle LoadPrivateKey(string modulePath, string tokenLabel, string uri, ILogger logger)
        {
            lock (Gate)
            {
                IntPtr engine = Acquire(modulePath, logger);
                try
                {
                    // ENGINE_load_private_key directly (not SafeEvpPKeyHandle.OpenPrivateKeyFromEngine, which empties
                    // OpenSSL's error queue into a bare "failed loading private key"): libp11 queues the CKR_ code.
                    LibCrypto.ErrClearError();
                    IntPtr pkey = LibCrypto.EngineLoadPrivateKey(engine, uri, NoPromptUi, IntPtr.Zero);
                    if (pkey == IntPtr.Zero)
                    {
                        string detail = LibCrypto.DrainErrors();
                        logger.LogDebug("OpenSSL's pkcs11 engine could not load {Uri}: {Detail}", uri, detail);
                        throw MapLoadFailure(tokenLabel, detail, null);
                    }

                    logger.LogDebug("The key {Uri} is open through the pkcs11 engine (it stays on the token).", uri);
                    return new SafeEvpPKeyHandle(pkey, ownsHandle: true);
                }
                finally
                {
                    string rest = LibCrypto.DrainErrors();
                    if (rest.Length > 0)
                    {
                        logger.LogDebug("OpenSSL's error queue after the key load: {Detail}", rest);
                    }
                }
            }
        }

        /// <summary>
        /// Starts the engine with <paramref name="modulePath"/> ahead of a login (the same one start per process as
        /// <see cref="LoadPrivateKey"/>'s; nothing is logged in, no key is opened, no PIN exists yet), so that a command
        /// can overlap it with its contract probe. A failure is left for <see cref="LoadPrivateKey"/> to report.
        /// </summary>
        public static void Prepare(string modulePath, ILogger logger)
        {
            lock (Gate)
            {
                try
                {
                    Acquire(modulePath, logger);
                    _ = NoPromptUi;
                }
                catch (EkengException e)
                {
                    logger.LogDebug("OpenSSL's pkcs11 engine was not started ahead of the login: {Message}", e.Message);
                }
                finally
                {
                    LibCrypto.ErrClearError();
                }
            }
        }

        /// <summary>
        /// A UI_METHOD whose session cannot open: if libp11 ever wanted a PIN (the token not logged in), it gets none
        /// and logs in with nothing instead of prompting on the terminal (the default UI) or sending an empty PIN.
        /// </summary>
        private static IntPtr NoPromptUi
        {
            get
            {
                if (_noPromptUi == IntPtr.Zero)
                {
                    IntPtr method = LibCrypto.UiCreateMethod("ekeng-no-prompt");
                    if (method == IntPtr.Zero || LibCrypto.UiMethodSetOpener(method, &RefuseUi) != 0)
                    {
                        throw new EkengException(ServiceErrors.TlsEngineInitFailed, "OpenSSL could not create the user interface method that keeps its pkcs11 engine from prompting.");
                    }

                    _noPromptUi = method;
                }

                return _noPromptUi;
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(System.Runtime.CompilerServices.CallConvCdecl) })]
        private static int RefuseUi(IntPtr ui) => -1;

        internal static EkengException MapLoadFailure(string tokenLabel, string detail, Exception? inner)
        {
            if (detail.IndexOf("PIN incorrect", StringComparison.OrdinalIgnoreCase) >= 0 || detail.IndexOf("pin_incorrect", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new EkengException(PinErrors.PinIncorrect, $"The PIN of '{tokenLabel}' is incorrect (tried once; never retried by this module).", inner)
                {
                    RecommendedAction = "Check the AuthPIN with Get-EkengCard (tries left) before trying again; a blocked PIN is unblocked with the PUK (Unblock-EkengPin).",
                    TargetObject = tokenLabel,
                };
            }

            if (detail.IndexOf("PIN locked", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new EkengException(PinErrors.PinLocked, $"The PIN of '{tokenLabel}' is blocked.", inner)
                {
                    TargetObject = tokenLabel,
                };
            }

            if (detail.IndexOf("not initialized", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new EkengException(PinErrors.PinNotInitialized, $"The PIN of '{tokenLabel}' is not activated yet.", inner)
                {
                    TargetObject = tokenLabel,
                };
            }

            return new EkengException(ServiceErrors.TokenKeyUnavailable, $"The private key of '{tokenLabel}' could not be opened through OpenSSL's pkcs11 engine ({detail}).", inner)
            {
                TargetObject = tokenLabel,
            };
        }

        private static IntPtr Acquire(string modulePath, ILogger logger)
        {
            if (_engine != IntPtr.Zero)
            {
                if (!string.Equals(_modulePath, modulePath, StringComparison.Ordinal))
                {
                    throw new EkengException(ServiceErrors.TlsEngineModuleConflict, $"OpenSSL's pkcs11 engine of this process already uses '{_modulePath}'; it cannot switch to '{modulePath}' (libp11 binds one PKCS#11 library per process).")
                    {
                        TargetObject = modulePath,
                    };
                }

                return _engine;
            }

            IntPtr engine;
            try
            {
                LibCrypto.ErrClearError();
                engine = LibCrypto.EngineById(EngineId);
            }
            catch (DllNotFoundException e)
            {
                throw new EkengException(ServiceErrors.OpenSslMissing, "OpenSSL 3 (libcrypto.so.3) was not found.", e);
            }

            if (engine == IntPtr.Zero)
            {
                throw EngineMissing(EngineId);
            }

            if (!File.Exists(modulePath))
            {
                LibCrypto.EngineFree(engine);
                throw new EkengException(TokenErrors.Pkcs11ModuleNotFound, EkengErrorKind.ObjectNotFound, $"The PKCS#11 library '{modulePath}' does not exist.") { TargetObject = modulePath };
            }

            // QUIET: libp11 writes its diagnostics ("Login failed", "PKCS11_get_private_key returned NULL") to stderr,
            // i.e. the user's terminal, before our own error; the same facts reach the Debug stream from OpenSSL's
            // error queue instead.
            if (LibCrypto.EngineCtrlCmdString(engine, "QUIET", null, 0) != 1)
            {
                logger.LogDebug("OpenSSL's pkcs11 engine has no QUIET command: its diagnostics may reach stderr.");
                LibCrypto.ErrClearError();
            }

            if (LibCrypto.EngineCtrlCmdString(engine, "MODULE_PATH", modulePath, 0) != 1 || LibCrypto.EngineInit(engine) != 1)
            {
                string queue = LibCrypto.DrainErrors();
                LibCrypto.EngineFree(engine);
                throw new EkengException(ServiceErrors.TlsEngineInitFailed, $"OpenSSL's pkcs11 engine could not start with '{modulePath}' ({queue}).")
                {
                    TargetObject = modulePath,
                };
            }

            // ENGINE_init took a functional reference (kept for the process); drop ENGINE_by_id's structural one.
            LibCrypto.EngineFree(engine);
            _engine = engine;
            _modulePath = modulePath;
            logger.LogDebug("OpenSSL's pkcs11 engine started with {Module}.", modulePath);
            return engine;
        }

        /// <summary>The one error for an engine OpenSSL cannot find (the queue's detail included).</summary>
        internal static EkengException EngineMissing(string engineId)
        {
            string queue = LibCrypto.DrainErrors();
            return new EkengException(ServiceErrors.TlsEngineMissing, $"OpenSSL's {engineId} engine (engines-3/{engineId}.so) is not installed, so the card's key cannot sign the TLS login ({queue}).")
            {
                RecommendedAction = $"Install the Debian/Ubuntu package '{DebianPackage}' (apt-get install {DebianPackage}; Fedora: openssl-pkcs11).",
            };
        }

        /// <summary>Asks OpenSSL for an engine by id without keeping it: the error a missing one gives (tests), or null.</summary>
        internal static EkengException? Probe(string engineId)
        {
            LibCrypto.ErrClearError();
            IntPtr engine = LibCrypto.EngineById(engineId);
            if (engine == IntPtr.Zero)
            {
                return EngineMissing(engineId);
            }

            LibCrypto.EngineFree(engine);
            return null;
        }

    }
}
