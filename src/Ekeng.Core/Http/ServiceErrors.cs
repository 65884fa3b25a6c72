using Ekeng.Diagnostics;

namespace Ekeng.Http
{
    /// <summary>The customer system's address and connection, and the mutual-TLS login with the card's key (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class ServiceErrors
    {
        public static readonly EkengError InvalidCrmUri = new EkengError("InvalidCrmUri", EkengErrorKind.InvalidArgument, "Give an absolute https address with -CrmUri or EKENG_CRM_URI.", CommandEnding.Parameters);

        public static readonly EkengError CrmUnreachable = new EkengError("CrmUnreachable", EkengErrorKind.ConnectionError, "Check the network, proxy and the address (-CrmUri or EKENG_CRM_URI).");

        public static readonly EkengError CrmTimeout = new EkengError("CrmTimeout", EkengErrorKind.OperationTimeout, "Try again later; check the network or proxy.");

        public static readonly EkengError CrmUnavailable = new EkengError("CrmUnavailable", EkengErrorKind.ResourceUnavailable, "Try again later.");

        public static readonly EkengError CrmError = new EkengError("CrmError", EkengErrorKind.InvalidOperation, "Read the service's reason in the message, correct the request, or try again later.", CommandEnding.No, EkengErrorKind.InvalidResult);

        public static readonly EkengError CrmRedirectRefused = new EkengError("CrmRedirectRefused", EkengErrorKind.SecurityError, "Check the service address (-CrmUri or EKENG_CRM_URI): it must be the service itself, not an address that forwards.");

        public static readonly EkengError CrmResponseTooLarge = new EkengError("CrmResponseTooLarge", EkengErrorKind.LimitsExceeded, "Check the service address (-CrmUri or EKENG_CRM_URI): the service's answers are small JSON documents.");

        public static readonly EkengError CrmProtocolError = new EkengError("CrmProtocolError", EkengErrorKind.InvalidResult, "Check the service address (-CrmUri or EKENG_CRM_URI): it must speak this module's API.");

        public static readonly EkengError ClientCertificateRefused = new EkengError("ClientCertificateRefused", EkengErrorKind.PermissionDenied, "Use the card's valid authentication certificate (Get-EkengCertificate -Kind Auth).");

        public static readonly EkengError ServerCertificateUntrusted = new EkengError("ServerCertificateUntrusted", EkengErrorKind.SecurityError, "For a private CA (such as the sandbox's), name its PEM with -TrustedCaFile or EKENG_CA_FILE. Validation is never turned off.", CommandEnding.Environment);

        public static readonly EkengError TlsHandshakeFailed = new EkengError("TlsHandshakeFailed", EkengErrorKind.SecurityError, "Check that the card's authentication certificate is valid and issued by a CA the service trusts.");

        public static readonly EkengError TrustedCaFileUnreadable = new EkengError("TrustedCaFileUnreadable", EkengErrorKind.ReadError, "Name a readable PEM file with -TrustedCaFile or EKENG_CA_FILE.");

        public static readonly EkengError TrustedCaFileInvalid = new EkengError("TrustedCaFileInvalid", EkengErrorKind.InvalidData, "Name a PEM file with the CA certificate(s) of the server, e.g. the sandbox's sandbox-ca.pem.");

        public static readonly EkengError TlsEngineMissing = new EkengError("TlsEngineMissing", EkengErrorKind.NotInstalled, "Install OpenSSL's pkcs11 engine (Debian/Ubuntu: libengine-pkcs11-openssl; Fedora: openssl-pkcs11).", CommandEnding.Environment);

        public static readonly EkengError TlsEngineInitFailed = new EkengError("TlsEngineInitFailed", EkengErrorKind.DeviceError, "Check the PKCS#11 library (Get-EkengCard -Pkcs11Module) and its configuration.");

        public static readonly EkengError TlsEngineModuleConflict = new EkengError("TlsEngineModuleConflict", EkengErrorKind.InvalidOperation, "Use the same PKCS#11 library in this session, or start a new PowerShell session.");

        public static readonly EkengError OpenSslMissing = new EkengError("OpenSslMissing", EkengErrorKind.NotInstalled, "Install OpenSSL 3 (Debian/Ubuntu: apt-get install libssl3).");

        public static readonly EkengError TokenKeyUnavailable = new EkengError("TokenKeyUnavailable", EkengErrorKind.DeviceError, "Check that the card is inserted, its AuthPIN activated and the PIN given, and that the token holds the key of its authentication certificate (same CKA_ID).");

        public static readonly EkengError TokenKeyMismatch = new EkengError("TokenKeyMismatch", EkengErrorKind.InvalidData, "Pass the card's own authentication certificate (Get-EkengCertificate -Kind Auth).");

        public static readonly EkengError ClientCertificateNotOnToken = new EkengError("ClientCertificateNotOnToken", EkengErrorKind.InvalidArgument, "Pass the certificate from Get-EkengCertificate (or the card from Get-EkengCard).");

        public static readonly EkengError ClientCertificateNotRsa = new EkengError("ClientCertificateNotRsa", EkengErrorKind.InvalidData, "Use the card's RSA authentication certificate (Get-EkengCertificate -Kind Auth).");

        public static readonly EkengError ClientCertificateUnsupported = new EkengError("ClientCertificateUnsupported", EkengErrorKind.NotImplemented, "Run the command in PowerShell 7.4+ (pwsh).", CommandEnding.Environment);

        public static readonly EkengError ClientCertificateSupportMissing = new EkengError("ClientCertificateSupportMissing", EkengErrorKind.NotInstalled, "Reinstall the Ekeng module (the module folder must hold Ekeng.Tls.dll).", CommandEnding.Environment);

        public static readonly EkengError ClientCertificateNotInStore = new EkengError("ClientCertificateNotInStore", EkengErrorKind.ObjectNotFound, "Remove the card and insert it again, so that the system copies its certificates with their keys (certmgr.msc shows them).");

        public static readonly EkengError ClientCertificateKeyUnavailable = new EkengError("ClientCertificateKeyUnavailable", EkengErrorKind.DeviceError, "Check that the card is inserted and its middleware (CryptoCard Suite) installed.");
    }
}
