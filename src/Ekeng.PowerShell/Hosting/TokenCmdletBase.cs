namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>The commands that read the card's PKCS#11 tokens: the middleware library they load (-Pkcs11Module).</summary>
    public abstract class TokenCmdletBase : EkengCmdlet
    {
        /// <summary>The PKCS#11 library of the card middleware to use instead of the one found (or the one the card was read with).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Pkcs11Module { get; set; }
    }
}
