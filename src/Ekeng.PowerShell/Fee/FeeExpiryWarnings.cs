using Ekeng.Payments;
using Ekeng.Setup;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The fee commands (Invoke-EkengFeePayment, Get-EkengFeePayment): a warning when the holder's paid period ends
    /// within 30 days or has ended, naming the date and the days left (<see cref="ExpiryWarning.ForPaidUntil"/>).
    /// </summary>
    internal static class FeeExpiryWarnings
    {
        public static void Write(Cmdlet cmdlet, DateTime? paidUntil)
        {
            string? warning = paidUntil is DateTime until ? ExpiryWarning.ForPaidUntil(until, DateTime.UtcNow) : null;
            if (warning != null)
            {
                cmdlet.WriteWarning(warning);
            }
        }

        /// <summary>
        /// The holder's paid period as EKENG gives it now (GET /api/v1/fee: not an order's, which may be an old one), then
        /// the warning; a period that cannot be read gives no warning (the orders listed stand).
        /// </summary>
        public static void Write(Cmdlet cmdlet, FeeClient fees, CancellationToken cancellationToken)
        {
            DateTime? paidUntil;
            try
            {
                paidUntil = fees.GetFeeAsync(cancellationToken).GetAwaiter().GetResult().PaidUntil;
            }
            catch (EkengException e)
            {
                cmdlet.WriteDebug($"The paid period was not read for its warning: {e.Message}");
                return;
            }

            Write(cmdlet, paidUntil);
        }
    }
}
