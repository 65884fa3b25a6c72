using System.Collections;
using System.Management.Automation.Language;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>Completes -Reader with the names of the readers PC/SC knows now (quoted where needed).</summary>
    public sealed class ReaderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<string> readers;
            try
            {
                readers = new ReaderService().GetReaderNames();
            }
            catch (Exception)
            {
                // No PC/SC service or library: nothing to complete; errors never surface from tab completion.
                yield break;
            }

            foreach (CompletionResult result in Complete(readers, wordToComplete))
            {
                yield return result;
            }
        }

        /// <summary>
        /// The readers whose name starts with what was typed (typed literally, or as an escaped name a previous
        /// completion inserted), each as a single-quoted, wildcard-escaped argument: <c>'A `[B`] (1) 00 00'</c>.
        /// </summary>
        public static IEnumerable<CompletionResult> Complete(IEnumerable<string> readers, string? wordToComplete)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"').Replace("''", "'");
            string unescaped = WildcardPattern.Unescape(typed);
            foreach (string reader in readers)
            {
                if (reader.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || reader.StartsWith(unescaped, StringComparison.OrdinalIgnoreCase))
                {
                    string text = "'" + WildcardPattern.Escape(reader).Replace("'", "''") + "'";
                    yield return new CompletionResult(text, reader, CompletionResultType.ParameterValue, reader);
                }
            }
        }
    }
}
