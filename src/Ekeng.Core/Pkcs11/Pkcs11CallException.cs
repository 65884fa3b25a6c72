using Ekeng.Diagnostics;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// A PKCS#11 function returned an error. Never carries a secret: only the function and CKR_ code. It is an
    /// <see cref="EkengException"/> (id <c>Pkcs11Error</c>), so that whatever path it takes it reaches the cmdlet with
    /// a stable id; the services wrap it where they can say more (the token, what was already done).
    /// </summary>
    internal sealed class Pkcs11CallException : EkengException
    {
        public Pkcs11CallException(string function, ulong returnValue, Exception? inner = null)
            : base(TokenErrors.Pkcs11Error, $"{function} returned {CkrNames.Name(returnValue)}.", inner)
        {
            RecommendedAction = "Check the card and the middleware; the PKCS#11 return code says what the token refused.";
            Function = function;
            ReturnValue = returnValue;
        }

        public string Function { get; }

        public ulong ReturnValue { get; }

        public string ReturnValueName => CkrNames.Name(ReturnValue);
    }
}
