namespace Ekeng.Diagnostics
{
    /// <summary>
    /// Which failures end a command (terminating errors) and which concern one input (non-terminating: the next card,
    /// profile or order is processed). The rule: a failure of the ENVIRONMENT (the machine or the named service can
    /// serve no input: no PC/SC service, no PKCS#11 module, no TLS engine, a service that does not speak the API) or of
    /// the command's own PARAMETERS (wrong for every input: a phone number, a secret's shape, a missing secret a
    /// non-interactive session cannot ask) ends the command; everything else is per input. Each catalogue entry says
    /// which it is (<see cref="EkengError.Ends"/>); this reads them.
    /// </summary>
    public static class CommandEndingErrors
    {
        /// <summary>True when <paramref name="errorId"/> ends the command rather than one input's processing.</summary>
        public static bool EndsCommand(string errorId) => (EkengErrors.Find(errorId)?.Ends ?? CommandEnding.No) != CommandEnding.No;

        /// <summary>The environment failures (for documentation and tests).</summary>
        public static IReadOnlyCollection<string> EnvironmentIds => Ids(CommandEnding.Environment);

        /// <summary>The parameter failures (for documentation and tests).</summary>
        public static IReadOnlyCollection<string> ParameterIds => Ids(CommandEnding.Parameters);

        private static IReadOnlyCollection<string> Ids(CommandEnding ends) => EkengErrors.All.Where(e => e.Ends == ends).Select(e => e.Id).ToList();
    }
}
