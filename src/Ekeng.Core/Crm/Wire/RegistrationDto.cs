namespace Ekeng.Crm.Wire
{
    /// <summary>The contract's <c>Registration</c> (docs/WIRE-CONTRACT.md).</summary>
    internal sealed class RegistrationDto
    {
        public string? HolderName { get; set; }

        public string? PublicServiceNumber { get; set; }

        public string? Phone { get; set; }

        public CrmRegistrationStatus Status { get; set; }

        public bool PayOnline { get; set; }

        public string? TermsVersion { get; set; }

        public DateTimeOffset? RequestedAt { get; set; }

        public DateTimeOffset? ActivatedAt { get; set; }

        public DateTimeOffset? UsableFrom { get; set; }

        public DateTimeOffset? PaidUntil { get; set; }

        public SmsCodeDto? Code { get; set; }
    }
}
