namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The CRM and fee commands whose guide to the real portal (no service named) can be asked in a language of its own:
    /// -Language hy or en, else $PSUICulture.
    /// </summary>
    public abstract class GuidedCrmCmdletBase : CrmCmdletBase
    {
        /// <summary>The language of the guide's steps (hy or en) when no service is named; default: $PSUICulture.</summary>
        [Parameter]
        [ValidateSet("hy", "en", IgnoreCase = true)]
        public string? Language { get; set; }

        protected override string? LanguageParameter => Language;
    }
}
