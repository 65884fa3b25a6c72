using Ekeng.Setup;
using Microsoft.Extensions.Logging;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>Get-EkengCard and Get-EkengCertificate: a warning for each certificate that ends within 30 days (or has ended).</summary>
    internal static class CertificateExpiryWarnings
    {
        public static void Write(Cmdlet cmdlet, IEnumerable<EkengCertificate> certificates)
        {
            foreach (EkengCertificate certificate in certificates)
            {
                string? warning = ExpiryWarning.ForCertificate(certificate, DateTime.UtcNow);
                if (warning != null)
                {
                    cmdlet.WriteWarning(warning);
                }
            }
        }

        /// <summary>Reads the card's certificates (public objects, no PIN) and warns; a card whose certificates cannot be read gives no warning.</summary>
        public static void Write(Cmdlet cmdlet, EkengCard card, ILogger logger)
        {
            if (card.Tokens.Count == 0)
            {
                return;
            }

            try
            {
                Write(cmdlet, new CertificateService(logger).GetCertificates(card));
            }
            catch (EkengException e)
            {
                logger.LogDebug("The certificates of {Card} were not read for the expiry warning: {Message}", card, e.Message);
            }
        }
    }
}
