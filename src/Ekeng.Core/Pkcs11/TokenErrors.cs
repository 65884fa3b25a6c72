using Ekeng.Diagnostics;

namespace Ekeng.Pkcs11
{
    /// <summary>The PKCS#11 middleware and the card's tokens (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class TokenErrors
    {
        public static readonly EkengError Pkcs11ModuleNotFound = new EkengError("Pkcs11ModuleNotFound", EkengErrorKind.NotInstalled, "Install the card's middleware (CryptoCard Suite) or OpenSC, or name the library with -Pkcs11Module or the EKENG_PKCS11_MODULE environment variable.", CommandEnding.Environment, EkengErrorKind.ObjectNotFound);

        public static readonly EkengError Pkcs11ModuleLoadFailed = new EkengError("Pkcs11ModuleLoadFailed", EkengErrorKind.NotInstalled, "Check that the file is a PKCS#11 library for this system and that its dependencies are installed.", CommandEnding.Environment);

        public static readonly EkengError Pkcs11ModuleInitFailed = new EkengError("Pkcs11ModuleInitFailed", EkengErrorKind.DeviceError, "Check the middleware's installation and configuration (for SoftHSM: SOFTHSM2_CONF and its token directory).");

        public static readonly EkengError Pkcs11ModuleArchitectureMismatch = new EkengError("Pkcs11ModuleArchitectureMismatch", EkengErrorKind.InvalidOperation, "Use the middleware's library built for this process (on 64-bit Windows the one under 'Program Files', not 'Program Files (x86)'), or run a PowerShell of the library's architecture.", CommandEnding.Environment);

        public static readonly EkengError Pkcs11Error = new EkengError("Pkcs11Error", EkengErrorKind.DeviceError, "Check the card and the middleware; the PKCS#11 return code says what the token refused.");

        public static readonly EkengError TokenNotFound = new EkengError("TokenNotFound", EkengErrorKind.ObjectNotFound, "Insert the card again and read it with Get-EkengCard.");

        public static readonly EkengError TokenAmbiguous = new EkengError("TokenAmbiguous", EkengErrorKind.InvalidArgument, "Pass the card or certificate from Get-EkengCard / Get-EkengCertificate (it names the token's serial), or leave one card inserted.");

        public static readonly EkengError TokenBusy = new EkengError("TokenBusy", EkengErrorKind.ResourceBusy, "Close the other program or session that uses the card, then try again.");

        public static readonly EkengError TokenWriteProtected = new EkengError("TokenWriteProtected", EkengErrorKind.PermissionDenied, "The card refuses changes: have it checked by its issuer (EKENG).");
    }
}
