using Ekeng.Diagnostics;

namespace Ekeng.Crm
{
    /// <summary>The registration with EKENG's customer system (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class CrmErrors
    {
        public static readonly EkengError InvalidPhoneNumber = new EkengError("InvalidPhoneNumber", EkengErrorKind.InvalidArgument, "Give an Armenian mobile number, e.g. '091 234567' or '+374 91 234567'.", CommandEnding.Parameters);

        public static readonly EkengError PhoneNumberRequired = new EkengError("PhoneNumberRequired", EkengErrorKind.InvalidArgument, "Add -PhoneNumber '091 234567'.");

        public static readonly EkengError TermsNotAccepted = new EkengError("TermsNotAccepted", EkengErrorKind.InvalidOperation, "Read the terms and accept them (-AcceptTerms, or answer the prompt).", CommandEnding.Parameters);

        public static readonly EkengError TermsVersionChanged = new EkengError("TermsVersionChanged", EkengErrorKind.InvalidOperation, "Run the command again to read and accept the new terms.");

        public static readonly EkengError DataNotConfirmed = new EkengError("DataNotConfirmed", EkengErrorKind.InvalidOperation, "Check the holder's data the service shows, confirm it, then run the command again.");

        public static readonly EkengError InvalidSmsCode = new EkengError("InvalidSmsCode", EkengErrorKind.InvalidArgument, "Type the code of the latest SMS, its digits only.", CommandEnding.Parameters);

        /// <summary>Confirm-EkengCrmRegistration without -SmsCode in a session that cannot prompt: nothing sent, no login.</summary>
        public static readonly EkengError SmsCodeRequired = new EkengError("SmsCodeRequired", EkengErrorKind.InvalidArgument, "Pass the code as a SecureString with -SmsCode, or run the command interactively to be asked for it.", CommandEnding.Parameters);

        public static readonly EkengError SmsCodeIncorrect = new EkengError("SmsCodeIncorrect", EkengErrorKind.AuthenticationError, "Type the code of the latest SMS; after the last attempt ask for a new one with Send-EkengCrmSmsCode.");

        public static readonly EkengError SmsCodeExpired = new EkengError("SmsCodeExpired", EkengErrorKind.InvalidOperation, "Ask for a new code with Send-EkengCrmSmsCode.");

        public static readonly EkengError SmsCodeVoided = new EkengError("SmsCodeVoided", EkengErrorKind.InvalidOperation, "Ask for a new code with Send-EkengCrmSmsCode and type the newest one.");

        public static readonly EkengError ResendTooSoon = new EkengError("ResendTooSoon", EkengErrorKind.LimitsExceeded, "Wait the time the message names, then use Send-EkengCrmSmsCode again.");

        public static readonly EkengError NoPendingCode = new EkengError("NoPendingCode", EkengErrorKind.InvalidOperation, "Register first (Register-EkengCrm -PhoneNumber), or check the status with Get-EkengCrmRegistration.");

        public static readonly EkengError CrmContractNotSpoken = new EkengError("CrmContractNotSpoken", EkengErrorKind.ProtocolError, "Leave -CrmUri and EKENG_CRM_URI unset for the real EKENG: the command then checks the card and guides you through crm.ekeng.am. Name a service only when it speaks this module's contract (the sandbox).", CommandEnding.Environment);

        public static readonly EkengError ServiceParameterWithoutService = new EkengError("ServiceParameterWithoutService", EkengErrorKind.InvalidArgument, "Name a service that speaks this module's API (-CrmUri), or run the command without the service's parameters to open the real portal.", CommandEnding.Parameters);

        public static readonly EkengError RegistrationWithoutCertificate = new EkengError("RegistrationWithoutCertificate", EkengErrorKind.InvalidArgument, "Pipe the card or its certificate instead: Get-EkengCard | <command>.");
    }
}
