using Ekeng.Diagnostics;

namespace Ekeng.Pkcs11
{
    /// <summary>A failed PIN operation, with the token's PIN state as read again right after the failure.</summary>
    public sealed class PinOperationException : EkengException
    {
        public PinOperationException(EkengError error, string message, PinStatus? status, Exception? innerException = null)
            : base(error, message, innerException)
        {
            Status = status;
            TargetObject = status?.TokenLabel;
        }

        /// <summary>The token's PIN and PUK state after the failure (tries left), or null when it could not be read.</summary>
        public PinStatus? Status { get; }
    }
}
