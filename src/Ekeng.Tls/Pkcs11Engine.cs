using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security;
using System.Security.Cryptography;
using Ekeng.Diagnostics;
using Ekeng.Security;
using Microsoft.Extensions.Logging;

namespace Ekeng.Tls
{
    /// <summary>
    /// OpenSSL 3's ENGINE "pkcs11" (Debian libengine-pkcs11-openssl, libp11), initialised ONCE per process with the
    /// card's PKCS#11 library as MODULE_PATH and never finished: libp11 keeps the library initialised and the token
    /// logged in for the life of the process (DESIGN.md §6a), and a finalisation under it breaks later key loads.
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal static unsafe class Pkcs11Engine
    {
        public const string EngineId = "pkcs11";
        public const string DebianPackage = "libengine-pkcs11-openssl";
        private static readonly object Gate = new object();
        private static IntPtr _engine;
        private static string? _modulePath;

        /// <summary>The module path the engine was initialised with (null before the first use).</summary>
        public static string? ModulePath => _modulePath;

        /// <summary>Loads the private key <paramref name="uri"/> after handing the engine the PIN as bytes (zeroed at once).</summary>
        public static SafeEvpPKeyHandle LoadPrivateKey(string modulePath, string tokenLabel, string uri, SecureString pin, ILogger logger)
        {
            lock (Gate)
            {
                IntPtr engine = Acquire(modulePath, logger);
                SetPin(engine, pin);
                try
                {
                    // ENGINE_load_private_key directly (not SafeEvpPKeyHandle.OpenPrivateKeyFromEngine, which empties
                    // OpenSSL's error queue into a bare "failed loading private key"): libp11 queues the CKR_ code.
                    LibCrypto.ErrClearError();
                    IntPtr pkey = LibCrypto.EngineLoadPrivateKey(engine, uri, IntPtr.Zero, IntPtr.Zero);
                    if (pkey == IntPtr.Zero)
                    {
                        throw MapLoadFailure(tokenLabel, LibCrypto.DrainErrors(), null);
                    }

                    logger.LogDebug("The key {Uri} is open through the pkcs11 engine (it stays on the token).", uri);
                    return new SafeEvpPKeyHandle(pkey, ownsHandle: true);
                }
                finally
                {
                    // libp11 keeps a copy of the PIN: overwrite it (libp11 cleanses the old copy) once the login is done.
                    LibCrypto.EngineCtrlCmdString(engine, "PIN", string.Empty, 0);
                    LibCrypto.ErrClearError();
                }
            }
        }

        internal static EkengException MapLoadFailure(string tokenLabel, string detail, Exception? inner)
        {
            if (detail.IndexOf("PIN incorrect", StringComparison.OrdinalIgnoreCase) >= 0 || detail.IndexOf("pin_incorrect", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new EkengException("PinIncorrect", EkengErrorKind.AuthenticationError, $"The PIN of '{tokenLabel}' is incorrect (tried once; never retried by this module).", inner)
                {
                    RecommendedAction = "Check the AuthPIN with Get-EkengCard (tries left) before trying again; a blocked PIN is unblocked with the PUK (Unblock-EkengPin).",
                    TargetObject = tokenLabel,
                };
            }

            if (detail.IndexOf("PIN locked", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new EkengException("PinLocked", EkengErrorKind.SecurityError, $"The PIN of '{tokenLabel}' is blocked.", inner)
                {
                    RecommendedAction = "Unblock it with the PUK (Unblock-EkengPin).",
                    TargetObject = tokenLabel,
                };
            }

            if (detail.IndexOf("not initialized", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new EkengException("PinNotInitialized", EkengErrorKind.InvalidOperation, $"The PIN of '{tokenLabel}' is not activated yet.", inner)
                {
                    RecommendedAction = "Activate the PINs with the PUK first (Initialize-EkengPin).",
                    TargetObject = tokenLabel,
                };
            }

            return new EkengException("TokenKeyUnavailable", EkengErrorKind.DeviceError, $"The private key of '{tokenLabel}' could not be opened through OpenSSL's pkcs11 engine ({detail}).", inner)
            {
                RecommendedAction = "Check that the card is inserted, its AuthPIN activated and the PIN given, and that the token holds the key of its authentication certificate (same CKA_ID).",
                TargetObject = tokenLabel,
            };
        }

        private static IntPtr Acquire(string modulePath, ILogger logger)
        {
            if (_engine != IntPtr.Zero)
            {
                if (!string.Equals(_modulePath, modulePath, StringComparison.Ordinal))
                {
                    throw new EkengException("TlsEngineModuleConflict", EkengErrorKind.InvalidOperation, $"OpenSSL's pkcs11 engine of this process already uses '{_modulePath}'; it cannot switch to '{modulePath}' (libp11 binds one PKCS#11 library per process).")
                    {
                        RecommendedAction = "Use the same PKCS#11 library in this session, or start a new PowerShell session.",
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
                throw new EkengException("OpenSslMissing", EkengErrorKind.NotInstalled, "OpenSSL 3 (libcrypto.so.3) was not found.", e)
                {
                    RecommendedAction = "Install OpenSSL 3 (Debian/Ubuntu: apt-get install libssl3).",
                };
            }

            if (engine == IntPtr.Zero)
            {
                throw EngineMissing(EngineId);
            }

            if (!File.Exists(modulePath))
            {
                LibCrypto.EngineFree(engine);
                throw new EkengException("Pkcs11ModuleNotFound", EkengErrorKind.ObjectNotFound, $"The PKCS#11 library '{modulePath}' does not exist.") { TargetObject = modulePath };
            }

            if (LibCrypto.EngineCtrlCmdString(engine, "MODULE_PATH", modulePath, 0) != 1 || LibCrypto.EngineInit(engine) != 1)
            {
                string queue = LibCrypto.DrainErrors();
                LibCrypto.EngineFree(engine);
                throw new EkengException("TlsEngineInitFailed", EkengErrorKind.DeviceError, $"OpenSSL's pkcs11 engine could not start with '{modulePath}' ({queue}).")
                {
                    RecommendedAction = "Check the PKCS#11 library (Get-EkengCard -Pkcs11Module) and its configuration.",
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
            return new EkengException("TlsEngineMissing", EkengErrorKind.NotInstalled, $"OpenSSL's {engineId} engine (engines-3/{engineId}.so) is not installed, so the card's key cannot sign the TLS login ({queue}).")
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

        private static void SetPin(IntPtr engine, SecureString pin)
        {
            int ok = pin.UseUtf8Bytes(bytes =>
            {
                int length = bytes.Length + 1;
                IntPtr buffer = Marshal.AllocHGlobal(length);
                var span = new Span<byte>((void*)buffer, length);
                try
                {
                    bytes.CopyTo(span);
                    span[bytes.Length] = 0;
                    return LibCrypto.EngineCtrlCmdBytes(engine, "PIN", (byte*)buffer, 0);
                }
                finally
                {
                    span.Clear();
                    Marshal.FreeHGlobal(buffer);
                }
            });
            if (ok != 1)
            {
                LibCrypto.ErrClearError();
                throw new EkengException("TlsEnginePinRefused", EkengErrorKind.DeviceError, "OpenSSL's pkcs11 engine refused the PIN command.");
            }
        }
    }
}
