namespace Ekeng.Diagnostics
{
    /// <summary>
    /// Every failure a service reports on purpose, made from an entry of the error catalogue (<see cref="EkengError"/>).
    /// <see cref="ErrorId"/> is stable: scripts and tests match it through the ErrorRecord's FullyQualifiedErrorId.
    /// Messages never contain a secret.
    /// </summary>
    public class EkengException : Exception
    {
        private string? _recommendedAction;

        public EkengException(EkengError error, string message, Exception? innerException = null)
            : this(error, error?.Kind ?? EkengErrorKind.NotSpecified, message, innerException)
        {
        }

        /// <summary>With one of the categories the entry allows (<see cref="EkengError.Kinds"/>).</summary>
        public EkengException(EkengError error, EkengErrorKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Error = error ?? throw new ArgumentNullException(nameof(error));
            if (!System.Linq.Enumerable.Contains(error.Kinds, kind))
            {
                throw new ArgumentOutOfRangeException(nameof(kind), kind, $"The error catalogue gives {error.Id} the categories {string.Join(", ", error.Kinds)} only.");
            }

            Kind = kind;
        }

        /// <summary>The catalogue entry.</summary>
        public EkengError Error { get; }

        /// <summary>Stable identifier, e.g. <c>PcscServiceUnavailable</c>.</summary>
        public string ErrorId => Error.Id;

        public EkengErrorKind Kind { get; }

        /// <summary>What the user can do about it, shown as the ErrorRecord's recommended action: the catalogue's, unless the throw site set a more specific one.</summary>
        public string? RecommendedAction
        {
            get => _recommendedAction ?? Error.Action;
            set => _recommendedAction = value;
        }

        /// <summary>The object the error is about (a reader name, a file path, a token label).</summary>
        public object? TargetObject { get; set; }
    }
}
