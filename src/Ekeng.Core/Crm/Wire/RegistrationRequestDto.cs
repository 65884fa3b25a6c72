namespace Ekeng.Crm.Wire
{
    /// <summary>The body of <c>POST /api/v1/registration</c>.</summary>
    internal sealed class RegistrationRequestDto
    {
        public string Phone { get; set; } = string.Empty;

        public bool DataConfirmed { get; set; }

        public bool TermsAccepted { get; set; }

        public string? TermsVersion { get; set; }

        public bool PayOnline { get; set; }
    }
}
