using Ekeng.Diagnostics;
using Ekeng.Security;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// The one check of a PIN given to log in to a token (the CRM/fee sign-in with the AuthPIN, signing with the
    /// SignPIN): the token's state before the PIN is asked, its shape (the token's length bounds, digits on ARMID
    /// tokens) before it is sent. A failed check costs no try: nothing reaches the token.
    /// </summary>
    public static class PinCheck
    {
        /// <summary>The bounds used when the token reports none.</summary>
        public const int DefaultMinLength = 4;

        /// <summary>The bounds used when the token reports none.</summary>
        public const int DefaultMaxLength = 16;

        /// <summary>A locked or never activated PIN ends here (<paramref name="lockedError"/>: PinLocked, SignPinLocked).</summary>
        public static void RequireUsable(Pkcs11Token? token, string tokenLabel, EkengError lockedError, string nothingDone)
        {
            PinStatus? status = token?.Pin;
            if (status is null || (!status.Locked && status.Initialized))
            {
                return;
            }

            throw new EkengException(status.Locked ? lockedError : PinErrors.PinNotInitialized, $"The PIN of '{tokenLabel}' is {(status.Locked ? "blocked" : "not activated")}. {nothingDone}")
            {
                RecommendedAction = status.Locked ? $"Unblock it with the PUK (Unblock-EkengPin{(token?.Kind == PinKind.Sign ? " -PinKind Sign" : string.Empty)})." : "Activate it with the PUK (Initialize-EkengPin).",
                TargetObject = tokenLabel,
            };
        }

        /// <summary>The PIN's length within the token's bounds and, on ARMID tokens, digits only; else PinLengthOutOfRange / PinNotDigits.</summary>
        public static void RequireShape(Pkcs11Token? token, string tokenLabel, SecureString pin)
        {
            PinStatus? status = token?.Pin;
            bool digits = token?.RequiresDigits ?? true;
            int min = status?.MinLength > 0 ? status.MinLength : DefaultMinLength;
            int max = status?.MaxLength > 0 ? status.MaxLength : DefaultMaxLength;
            if (pin.Length < min || pin.Length > max)
            {
                throw new EkengException(PinErrors.PinLengthOutOfRange, $"The PIN of '{tokenLabel}' must be {min} to {max} characters long. It was not sent: no try was used.")
                {
                    TargetObject = tokenLabel,
                };
            }

            if (digits && !pin.IsDigitsOnly())
            {
                throw new EkengException(PinErrors.PinNotDigits, $"The PIN of '{tokenLabel}' is digits only. It was not sent: no try was used.")
                {
                    TargetObject = tokenLabel,
                };
            }
        }
    }
}
