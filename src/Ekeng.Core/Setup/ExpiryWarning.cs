using Ekeng.Certificates;

namespace Ekeng.Setup
{
    /// <summary>The warnings a person sees when something ends soon: a certificate, a paid period.</summary>
    public static class ExpiryWarning
    {
        /// <summary>The default warning window, in days.</summary>
        public const int DefaultDays = 30;

        /// <summary>A warning when the certificate ends within <paramref name="days"/> days (or has ended); null otherwise.</summary>
        public static string? ForCertificate(EkengCertificate certificate, DateTime now, int days = DefaultDays)
        {
            string what = $"The {(certificate.Kind == CertificateKind.Signing ? "signing" : "authentication")} certificate of {certificate.HolderName ?? certificate.Subject}";
            return For(what, certificate.NotAfter, now, days, "A new certificate comes with a new card from the ID card's issuer: plan the renewal.");
        }

        /// <summary>A warning when the fee's paid period ends within <paramref name="days"/> days (or has ended); null otherwise. For the fee commands.</summary>
        public static string? ForPaidUntil(DateTime paidUntil, DateTime now, int days = DefaultDays) =>
            For("The paid period of the card's fee", paidUntil, now, days, "Pay the next period with Invoke-EkengFeePayment -NextPeriod.", "Pay it with Invoke-EkengFeePayment.");

        private static string? For(string what, DateTime end, DateTime now, int days, string action, string? endedAction = null)
        {
            double left = (end.ToUniversalTime() - now.ToUniversalTime()).TotalDays;
            if (left >= days)
            {
                return null;
            }

            return left < 0
                ? $"{what} ended on {end:yyyy-MM-dd}. {endedAction ?? action}"
                : $"{what} ends on {end:yyyy-MM-dd}, in {(int)Math.Floor(left)} day(s). {action}";
        }
    }
}
