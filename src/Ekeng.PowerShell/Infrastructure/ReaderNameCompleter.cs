using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Ekeng.Cards;

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
                readers = new CardService().GetReaderNames();
            }
            catch (Exception)
            {
                // No PC/SC service or library: nothing to complete; errors never surface from tab completion.
                yield break;
            }

            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
            foreach (string reader in readers)
            {
                if (pattern.IsMatch(reader))
                {
                    string text = "'" + reader.Replace("'", "''") + "'";
                    yield return new CompletionResult(text, reader, CompletionResultType.ParameterValue, reader);
                }
            }
        }
    }
}
