using Ekeng.Diagnostics;

namespace Ekeng.Pkcs11
{
    /// <summary>One row of the failure table: when it applies (call, return codes) and the error it gives.</summary>
    internal sealed class PinFailureRule
    {
        public PinFailureRule(Func<PinOperation, string, bool> applies, ulong[] returnValues, EkengError error, Func<PinFailure, string> message, string? recommendedAction)
            : this(applies, returnValues, error, message, recommendedAction is null ? null : new Func<PinFailure, string>(_ => recommendedAction))
        {
        }

        public PinFailureRule(Func<PinOperation, string, bool> applies, ulong[] returnValues, EkengError error, Func<PinFailure, string> message, Func<PinFailure, string>? recommendedAction)
        {
            Applies = applies;
            ReturnValues = returnValues;
            Error = error;
            Message = message;
            RecommendedAction = recommendedAction;
        }

        /// <summary>The operation and the PKCS#11 function that failed.</summary>
        public Func<PinOperation, string, bool> Applies { get; }

        public ulong[] ReturnValues { get; }

        public EkengError Error { get; }

        public Func<PinFailure, string> Message { get; }

        public Func<PinFailure, string>? RecommendedAction { get; }
    }
}
