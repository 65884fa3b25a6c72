namespace Ekeng.Crm.Wire
{
    /// <summary>The contract's <c>GET /.well-known/ekeng-contract</c> reply: which API the service speaks.</summary>
    internal sealed class ContractDto
    {
        public string? Contract { get; set; }

        public string? Version { get; set; }
    }
}
