using System;

namespace Ekeng.Diagnostics
{
    /// <summary>
    /// Every failure a service reports on purpose. <see cref="ErrorId"/> is stable: scripts and tests
    /// match it through the ErrorRecord's FullyQualifiedErrorId. Messages never contain a secret.
    /// </summary>
    public class EkengException : Exception
    {
        public EkengException(string errorId, EkengErrorKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Kind = kind;
        }

        /// <summary>Stable identifier, e.g. <c>PcscServiceUnavailable</c>.</summary>
        public string ErrorId { get; }

        public EkengErrorKind Kind { get; }

        /// <summary>What the user can do about it, shown as the ErrorRecord's recommended action.</summary>
        public string? RecommendedAction { get; set; }

        /// <summary>The object the error is about (a reader name, a file path, a token label).</summary>
        public object? TargetObject { get; set; }
    }
}
