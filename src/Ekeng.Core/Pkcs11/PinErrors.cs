using Ekeng.Diagnostics;

namespace Ekeng.Pkcs11
{
    /// <summary>The PINs and PUKs of the card (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class PinErrors
    {
        public static readonly EkengError PinRequired = new EkengError("PinRequired", EkengErrorKind.InvalidArgument, "Pass the PIN as a SecureString with -Pin, or run the command interactively to be asked for it.", CommandEnding.Parameters);

        public static readonly EkengError PukRequired = new EkengError("PukRequired", EkengErrorKind.InvalidArgument, "Pass the PUK as a SecureString with -Puk (or -AuthPuk/-SignPuk), or run the command interactively.", CommandEnding.Parameters);

        public static readonly EkengError CurrentPinRequired = new EkengError("CurrentPinRequired", EkengErrorKind.InvalidArgument, "Pass the current PIN as a SecureString with -CurrentPin (or -CurrentAuthPin/-CurrentSignPin), or run the command interactively.", CommandEnding.Parameters);

        public static readonly EkengError PinLengthOutOfRange = new EkengError("PinLengthOutOfRange", EkengErrorKind.InvalidArgument, "Choose a PIN of the length the token takes (Get-EkengCard shows it).");

        public static readonly EkengError PinNotDigits = new EkengError("PinNotDigits", EkengErrorKind.InvalidArgument, "Choose a PIN of digits (0-9); leading zeros are fine.", CommandEnding.Parameters);

        public static readonly EkengError PinEqualsPuk = new EkengError("PinEqualsPuk", EkengErrorKind.InvalidArgument, "Choose a PIN that differs from the PUK: the PUK is the way back when the PIN is forgotten.");

        public static readonly EkengError PinUnchanged = new EkengError("PinUnchanged", EkengErrorKind.InvalidArgument, "Choose a different new PIN.");

        public static readonly EkengError PinConfirmationMismatch = new EkengError("PinConfirmationMismatch", EkengErrorKind.InvalidArgument, "Run the command again and type the same new PIN twice.", CommandEnding.Parameters);

        public static readonly EkengError PinInvalid = new EkengError("PinInvalid", EkengErrorKind.InvalidArgument, "Choose a PIN of digits only, of the length the token takes.");

        public static readonly EkengError PukLengthOutOfRange = new EkengError("PukLengthOutOfRange", EkengErrorKind.InvalidArgument, "Check the PUK (-Puk or -AuthPuk/-SignPuk): the Initial PUK of the card's PIN envelope.");

        public static readonly EkengError PukNotDigits = new EkengError("PukNotDigits", EkengErrorKind.InvalidArgument, "Check the PUK (-Puk or -AuthPuk/-SignPuk): digits 0-9 only; leading zeros are part of it.", CommandEnding.Parameters);

        public static readonly EkengError CurrentPinLengthOutOfRange = new EkengError("CurrentPinLengthOutOfRange", EkengErrorKind.InvalidArgument, "Check the current PIN (-CurrentPin or -CurrentAuthPin/-CurrentSignPin) and run the command again.");

        public static readonly EkengError CurrentPinNotDigits = new EkengError("CurrentPinNotDigits", EkengErrorKind.InvalidArgument, "Check the current PIN (-CurrentPin or -CurrentAuthPin/-CurrentSignPin): digits 0-9 only; leading zeros are part of it.", CommandEnding.Parameters);

        public static readonly EkengError PinAmbiguous = new EkengError("PinAmbiguous", EkengErrorKind.InvalidArgument, "Give either -Pin, or -AuthPin and -SignPin.", CommandEnding.Parameters);

        public static readonly EkengError PukAmbiguous = new EkengError("PukAmbiguous", EkengErrorKind.InvalidArgument, "Give either -Puk, or -AuthPuk and -SignPuk.");

        public static readonly EkengError CurrentPinAmbiguous = new EkengError("CurrentPinAmbiguous", EkengErrorKind.InvalidArgument, "Give either -CurrentPin, or -CurrentAuthPin and -CurrentSignPin.", CommandEnding.Parameters);

        public static readonly EkengError PinAlreadyInitialized = new EkengError("PinAlreadyInitialized", EkengErrorKind.InvalidOperation, "Change the PIN with Set-EkengPin, or set a new one with the PUK with Unblock-EkengPin when it is locked or forgotten.");

        public static readonly EkengError PinNotInitialized = new EkengError("PinNotInitialized", EkengErrorKind.InvalidOperation, "Activate the PINs with the PUK first (Initialize-EkengPin).");

        public static readonly EkengError PinNotLocked = new EkengError("PinNotLocked", EkengErrorKind.InvalidOperation, "To reset a forgotten PIN that is not locked, name it: -PinKind Auth or -PinKind Sign.");

        public static readonly EkengError PukIncorrect = new EkengError("PukIncorrect", EkengErrorKind.AuthenticationError, "Check the PUK (the Initial PUK in the card's PIN envelope). Do not guess: a few wrong tries lock it for good.");

        public static readonly EkengError PinIncorrect = new EkengError("PinIncorrect", EkengErrorKind.AuthenticationError, "Check the PIN with Get-EkengCard (tries left) before trying again; a forgotten or blocked PIN is reset with the PUK (Unblock-EkengPin).");

        public static readonly EkengError PukFinalTry = new EkengError("PukFinalTry", EkengErrorKind.SecurityError, "Make sure the PUK is right (the card's PIN envelope), then run the command again with -Force.");

        public static readonly EkengError PukLocked = new EkengError("PukLocked", EkengErrorKind.SecurityError, "A locked PUK cannot be unlocked by the module: contact the card issuer (EKENG).");

        public static readonly EkengError PinFinalTry = new EkengError("PinFinalTry", EkengErrorKind.SecurityError, "Make sure the current PIN is right, then run again with -Force; or set a new PIN with the PUK: Unblock-EkengPin.");

        public static readonly EkengError PinLocked = new EkengError("PinLocked", EkengErrorKind.SecurityError, "Unblock it with the PUK (Unblock-EkengPin).");

        public static readonly EkengError ForcedSecretDeclined = new EkengError("ForcedSecretDeclined", EkengErrorKind.OperationStopped, "Nothing was sent; run the command again and confirm to send the secret anyway.");
    }
}
