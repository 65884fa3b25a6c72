using Ekeng.Certificates;
using Ekeng.Crm.Wire;

namespace Ekeng.Crm
{
    /// <summary>
    /// A holder's registration in the EKENG customer system, as the module shows it. The phone number is masked but
    /// for its last 2 digits; the full number stays inside the module. Piped back into Register-EkengCrm with
    /// -SmsCode it finishes the registration (it remembers the certificate and the service it came from).
    /// </summary>
    public sealed class CrmRegistration
    {
        internal CrmRegistration(RegistrationDto dto, Uri crmUri)
        {
            HolderName = dto.HolderName;
            PublicServiceNumber = dto.PublicServiceNumber;
            PhoneE164 = dto.Phone;
            Phone = ArmenianPhoneNumber.Mask(dto.Phone);
            Status = dto.Status;
            PayOnline = dto.PayOnline;
            TermsVersion = dto.TermsVersion;
            RequestedAt = dto.RequestedAt?.UtcDateTime;
            ActivatedAt = dto.ActivatedAt?.UtcDateTime;
            UsableFrom = dto.UsableFrom?.UtcDateTime;
            PaidUntil = dto.PaidUntil?.UtcDateTime;
            CodeLength = dto.Code?.Length;
            CodeExpiresAt = dto.Code?.ExpiresAt?.UtcDateTime;
            AttemptsLeft = dto.Code?.AttemptsLeft;
            CrmUri = crmUri;
        }

        /// <summary>The holder's name in Latin letters, as the CRM read it from the certificate.</summary>
        public string? HolderName { get; }

        /// <summary>The public service number (ՀԾՀ).</summary>
        public string? PublicServiceNumber { get; }

        /// <summary>The phone number, masked but for its last 2 digits, e.g. <c>+374******67</c>.</summary>
        public string? Phone { get; }

        /// <summary>The full number in E.164 (inside the module only).</summary>
        internal string? PhoneE164 { get; }

        public CrmRegistrationStatus Status { get; }

        /// <summary>Register-and-pay: the SMS code has 4 digits and the fee follows.</summary>
        public bool PayOnline { get; }

        public string? TermsVersion { get; }

        public DateTime? RequestedAt { get; }

        public DateTime? ActivatedAt { get; }

        /// <summary>When other systems accept the certificate (ActivatedAt + 3–5 h).</summary>
        public DateTime? UsableFrom { get; }

        public DateTime? PaidUntil { get; }

        /// <summary>Digits of the pending SMS code (6 to register, 4 to register and pay).</summary>
        public int? CodeLength { get; }

        public DateTime? CodeExpiresAt { get; }

        /// <summary>Codes that may still be tried before the pending one is void.</summary>
        public int? AttemptsLeft { get; }

        /// <summary>The CRM it came from.</summary>
        public Uri CrmUri { get; }

        /// <summary>The card certificate that logged in (set by the caller), so that the object can be piped back.</summary>
        public EkengCertificate? Certificate { get; set; }

        /// <summary>The PEM of the private CA trusted for this CRM (null: the system's roots), for the second call.</summary>
        public string? TrustedCaFile { get; set; }

        public override string ToString() => $"{HolderName} {PublicServiceNumber}: {Status}".Trim();
    }
}
