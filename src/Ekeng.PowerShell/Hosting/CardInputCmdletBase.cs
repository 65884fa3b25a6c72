namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The commands that act on a card from the pipeline (Get-EkengCard's output, bound as -Card or -InputObject) or,
    /// without one, on the cards present (each command says which).
    /// </summary>
    public abstract class CardInputCmdletBase : TokenCmdletBase
    {
        /// <summary>The card, as Get-EkengCard returns it.</summary>
        [Parameter(ValueFromPipeline = true)]
        [Alias("InputObject")]
        [ValidateNotNull]
        public EkengCard? Card { get; set; }
    }
}
