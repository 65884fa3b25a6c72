namespace Ekeng.Crm.Wire
{
    /// <summary>The contract's <c>GET /api/v1/terms</c> reply.</summary>
    internal sealed class TermsDto
    {
        public string? Version { get; set; }

        public string? Text { get; set; }
    }
}
