using System;
using System.Collections.Generic;
using Ekeng.Diagnostics;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// The narrow boundary between the services and a PKCS#11 library: everything the module asks of a token.
    /// The real implementation is <see cref="InteropPkcs11Module"/> (Pkcs11Interop); tests put a fake here only
    /// to reach token states SoftHSM never reports (FINAL_TRY, LOCKED).
    /// Secrets cross it as UTF-8 byte arrays owned (and zeroed) by the caller.
    /// </summary>
    internal interface IPkcs11Module : IDisposable
    {
        string Path { get; }

        /// <summary>C_GetSlotList(tokenPresent) + C_GetSlotInfo + C_GetTokenInfo: the initialised tokens.</summary>
        IReadOnlyList<Pkcs11Token> GetTokens();

        /// <summary>
        /// C_GetTokenInfo on the slot of <paramref name="known"/>: the same token as it is now, or null when that
        /// slot no longer holds it. Reading a few known tokens again costs one call each, not a full enumeration.
        /// </summary>
        Pkcs11Token? ReadToken(Pkcs11Token known);

        /// <summary>R/W session, C_Login(CKU_SO, puk), C_InitPIN(newPin), C_Logout.</summary>
        void InitPin(ulong slotId, byte[] puk, byte[] newPin);

        /// <summary>R/W public session, C_SetPIN(currentPin, newPin).</summary>
        void SetPin(ulong slotId, byte[] currentPin, byte[] newPin);

        /// <summary>Public session (no login): the CKA_VALUE, CKA_LABEL and CKA_ID of every X.509 certificate object.</summary>
        IReadOnlyList<Pkcs11CertificateObject> GetCertificates(ulong slotId);
    }

    /// <summary>
    /// Opens a PKCS#11 library: the first use in the process initialises it (C_Initialize), for the life of the
    /// process; disposing a module closes its sessions, never the library (DESIGN.md §6a).
    /// </summary>
    internal interface IPkcs11ModuleLoader
    {
        IPkcs11Module Open(string path);
    }

    /// <summary>A certificate object read from a token.</summary>
    internal sealed class Pkcs11CertificateObject
    {
        public Pkcs11CertificateObject(byte[] value, string label, byte[] id)
        {
            Value = value;
            Label = label;
            Id = id;
        }

        public byte[] Value { get; }

        public string Label { get; }

        public byte[] Id { get; }
    }

    /// <summary>
    /// A PKCS#11 function returned an error. Never carries a secret: only the function and CKR_ code. It is an
    /// <see cref="EkengException"/> (id <c>Pkcs11Error</c>), so that whatever path it takes it reaches the cmdlet with
    /// a stable id; the services wrap it where they can say more (the token, what was already done).
    /// </summary>
    internal sealed class Pkcs11CallException : EkengException
    {
        public const string Id = "Pkcs11Error";

        public Pkcs11CallException(string function, ulong returnValue, Exception? inner = null)
            : base(Id, EkengErrorKind.DeviceError, $"{function} returned {Pkcs11ReturnValues.Name(returnValue)}.", inner)
        {
            RecommendedAction = "Check the card and the middleware; the PKCS#11 return code says what the token refused.";
            Function = function;
            ReturnValue = returnValue;
        }

        public string Function { get; }

        public ulong ReturnValue { get; }

        public string ReturnValueName => Pkcs11ReturnValues.Name(ReturnValue);
    }

    /// <summary>The CKR_ values the module maps to its own errors.</summary>
    internal static class Pkcs11ReturnValues
    {
        public const ulong Ok = 0x0;
        public const ulong GeneralError = 0x5;
        public const ulong SlotIdInvalid = 0x3;
        public const ulong DeviceError = 0x30;
        public const ulong DeviceRemoved = 0x32;
        public const ulong FunctionNotSupported = 0x54;
        public const ulong PinIncorrect = 0xA0;
        public const ulong PinInvalid = 0xA1;
        public const ulong PinLenRange = 0xA2;
        public const ulong PinExpired = 0xA3;
        public const ulong PinLocked = 0xA4;
        public const ulong SessionReadOnly = 0xB5;
        public const ulong TokenNotPresent = 0xE0;
        public const ulong TokenNotRecognized = 0xE1;
        public const ulong TokenWriteProtected = 0xE2;
        public const ulong UserAlreadyLoggedIn = 0x100;
        public const ulong UserNotLoggedIn = 0x101;
        public const ulong UserPinNotInitialized = 0x102;
        public const ulong UserTypeInvalid = 0x103;
        public const ulong UserAnotherAlreadyLoggedIn = 0x104;
        public const ulong CryptokiNotInitialized = 0x190;

        public static string Name(ulong rv)
        {
            switch (rv)
            {
                case Ok: return "CKR_OK";
                case SlotIdInvalid: return "CKR_SLOT_ID_INVALID";
                case GeneralError: return "CKR_GENERAL_ERROR";
                case DeviceError: return "CKR_DEVICE_ERROR";
                case DeviceRemoved: return "CKR_DEVICE_REMOVED";
                case FunctionNotSupported: return "CKR_FUNCTION_NOT_SUPPORTED";
                case PinIncorrect: return "CKR_PIN_INCORRECT";
                case PinInvalid: return "CKR_PIN_INVALID";
                case PinLenRange: return "CKR_PIN_LEN_RANGE";
                case PinExpired: return "CKR_PIN_EXPIRED";
                case PinLocked: return "CKR_PIN_LOCKED";
                case SessionReadOnly: return "CKR_SESSION_READ_ONLY";
                case TokenNotPresent: return "CKR_TOKEN_NOT_PRESENT";
                case TokenNotRecognized: return "CKR_TOKEN_NOT_RECOGNIZED";
                case TokenWriteProtected: return "CKR_TOKEN_WRITE_PROTECTED";
                case UserAlreadyLoggedIn: return "CKR_USER_ALREADY_LOGGED_IN";
                case UserNotLoggedIn: return "CKR_USER_NOT_LOGGED_IN";
                case UserPinNotInitialized: return "CKR_USER_PIN_NOT_INITIALIZED";
                case UserTypeInvalid: return "CKR_USER_TYPE_INVALID";
                case UserAnotherAlreadyLoggedIn: return "CKR_USER_ANOTHER_ALREADY_LOGGED_IN";
                case CryptokiNotInitialized: return "CKR_CRYPTOKI_NOT_INITIALIZED";
                default: return $"CKR 0x{rv:X8}";
            }
        }
    }
}
