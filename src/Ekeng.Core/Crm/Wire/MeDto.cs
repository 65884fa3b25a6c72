namespace Ekeng.Crm.Wire
{
    /// <summary>The contract's <c>GET /api/v1/me</c> reply.</summary>
    internal sealed class MeDto
    {
        public string? HolderName { get; set; }

        public string? PublicServiceNumber { get; set; }

        public string? CertificateThumbprint { get; set; }

        public RegistrationDto? Registration { get; set; }
    }
}
