namespace Ekeng.Diagnostics
{
    /// <summary>
    /// One entry of the error catalogue: the stable id scripts match, its category, the one-sentence action the README
    /// table gives, and whether it ends the command. Throw sites name an entry (e.g. <c>PinErrors.PinIncorrect</c>) and
    /// say only what happened; <see cref="EkengErrors.All"/> lists every entry.
    /// </summary>
    public sealed class EkengError
    {
        public EkengError(string id, EkengErrorKind kind, string action, CommandEnding ends = CommandEnding.No, params EkengErrorKind[] otherKinds)
        {
            Id = id ?? throw new ArgumentNullException(nameof(id));
            Kind = kind;
            Action = action ?? throw new ArgumentNullException(nameof(action));
            Ends = ends;
            Kinds = new[] { kind }.Concat(otherKinds ?? Array.Empty<EkengErrorKind>()).ToArray();
        }

        /// <summary>Stable identifier, the head of the ErrorRecord's FullyQualifiedErrorId.</summary>
        public string Id { get; }

        /// <summary>The usual category.</summary>
        public EkengErrorKind Kind { get; }

        /// <summary>Every category a throw site may give it (the first is <see cref="Kind"/>), as the README lists them.</summary>
        public IReadOnlyList<EkengErrorKind> Kinds { get; }

        /// <summary>What the user can do, one sentence: the ErrorRecord's RecommendedAction unless the site says more.</summary>
        public string Action { get; }

        /// <summary>Whether a failure of this id ends the command (see <see cref="CommandEndingErrors"/>).</summary>
        public CommandEnding Ends { get; }

        /// <summary>True when <paramref name="e"/> carries this id.</summary>
        public bool Is(EkengException? e) => e != null && string.Equals(e.ErrorId, Id, StringComparison.Ordinal);

        public override string ToString() => Id;
    }
}
