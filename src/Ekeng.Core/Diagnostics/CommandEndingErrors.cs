using System;
using System.Collections.Generic;

namespace Ekeng.Diagnostics
{
    /// <summary>
    /// Which failures end a command (terminating errors) and which concern one input (non-terminating: the next card,
    /// profile or order is processed). The rule: a failure of the ENVIRONMENT (the machine or the named service can
    /// serve no input: no PC/SC service, no PKCS#11 module, no TLS engine, a service that does not speak the API) or of
    /// the command's own PARAMETERS (wrong for every input: a phone number, a secret's shape, a missing secret a
    /// non-interactive session cannot ask) ends the command; everything else is per input. The one list of them.
    /// </summary>
    public static class CommandEndingErrors
    {
        private static readonly HashSet<string> Environment = new HashSet<string>(StringComparer.Ordinal)
        {
            "PcscServiceUnavailable", "PcscLibraryNotFound",
            "Pkcs11ModuleNotFound", "Pkcs11ModuleLoadFailed", "Pkcs11ModuleArchitectureMismatch",
            "TlsEngineMissing", "ClientCertificateUnsupported", "ClientCertificateSupportMissing",
            "CrmContractNotSpoken", "ServerCertificateUntrusted", "ReceiptFontNotFound",
        };

        private static readonly HashSet<string> Parameters = new HashSet<string>(StringComparer.Ordinal)
        {
            "InvalidCrmUri", "InvalidPhoneNumber", "InvalidSmsCode", "SmsCodeRequired", "TermsNotAccepted",
            "PinRequired", "PukRequired", "CurrentPinRequired", "PinAmbiguous", "CurrentPinAmbiguous",
            "PinConfirmationMismatch", "PinNotDigits", "PukNotDigits", "CurrentPinNotDigits",
            "ServiceParameterWithoutService", "UnexpandedLibraryPath", "ReceiptExists", "ConfirmationRequired",
        };

        /// <summary>True when <paramref name="errorId"/> ends the command rather than one input's processing.</summary>
        public static bool EndsCommand(string errorId) => Environment.Contains(errorId) || Parameters.Contains(errorId);

        /// <summary>The environment failures (for documentation and tests).</summary>
        public static IReadOnlyCollection<string> EnvironmentIds => Environment;

        /// <summary>The parameter failures (for documentation and tests).</summary>
        public static IReadOnlyCollection<string> ParameterIds => Parameters;
    }
}
