namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// -Reader names: an existing reader's exact name is always itself, even when it holds wildcard characters
    /// (libccid names such as <c>A [B] (1) 00 00</c>); any other name is a wildcard pattern, so that wildcards work
    /// and an escaped name (<c>A `[B`] (1) 00 00</c>, as the completer writes it) matches literally.
    /// </summary>
    public sealed class ReaderNameFilter
    {
        private readonly Dictionary<string, WildcardPattern?> _names = new Dictionary<string, WildcardPattern?>(StringComparer.Ordinal);

        /// <param name="names">The names given with -Reader.</param>
        /// <param name="knownReaders">The readers PC/SC lists now (to tell an exact name from a pattern).</param>
        public ReaderNameFilter(IEnumerable<string> names, IEnumerable<string> knownReaders)
        {
            var known = new HashSet<string>(knownReaders ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
            foreach (string name in names ?? Array.Empty<string>())
            {
                _names[name] = known.Contains(name) ? null : new WildcardPattern(name, WildcardOptions.IgnoreCase);
            }
        }

        /// <summary>True when no name was given, or one of the names matches the reader.</summary>
        public bool IsMatch(string reader) => _names.Count == 0 || _names.Keys.Any(n => NameMatches(n, reader));

        /// <summary>True when the name <paramref name="name"/> (one given to the constructor) matches <paramref name="reader"/>.</summary>
        public bool NameMatches(string name, string reader)
        {
            if (string.Equals(name, reader, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            return _names.TryGetValue(name, out WildcardPattern? pattern) && pattern != null && pattern.IsMatch(reader);
        }

        /// <summary>True when <paramref name="name"/> is used as a pattern with wildcards (it is no existing reader's exact name).</summary>
        public bool IsPattern(string name) => _names.TryGetValue(name, out WildcardPattern? pattern) && pattern != null && WildcardPattern.ContainsWildcardCharacters(name);
    }
}
