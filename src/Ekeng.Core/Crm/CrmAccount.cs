namespace Ekeng.Crm
{
    /// <summary>Who the CRM sees behind the client certificate (<c>GET /api/v1/me</c>).</summary>
    public sealed class CrmAccount
    {
        public CrmAccount(string? holderName, string? publicServiceNumber, string? certificateThumbprint, CrmRegistration registration)
        {
            HolderName = holderName;
            PublicServiceNumber = publicServiceNumber;
            CertificateThumbprint = certificateThumbprint;
            Registration = registration;
        }

        public string? HolderName { get; }

        public string? PublicServiceNumber { get; }

        /// <summary>The client certificate's thumbprint as the server saw it.</summary>
        public string? CertificateThumbprint { get; }

        public CrmRegistration Registration { get; }
    }
}
