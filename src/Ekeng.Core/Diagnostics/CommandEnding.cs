namespace Ekeng.Diagnostics
{
    /// <summary>Whether an error ends the command, and why (see <see cref="CommandEndingErrors"/>).</summary>
    public enum CommandEnding
    {
        /// <summary>It concerns one input (card, profile, order): written, and the next input is processed.</summary>
        No,

        /// <summary>The machine or the named service can serve no input.</summary>
        Environment,

        /// <summary>The command's own parameters are wrong for every input.</summary>
        Parameters,
    }
}
