namespace Ekeng.Payments
{
    /// <summary>
    /// EKENG's status of a fee order. Paid means the gateway's orderStatus 2 with the order's amount, currency and number,
    /// as EKENG's server read it from the gateway (a hold, 1, is Pending): never an HTTP 200 or a visit of the return URL
    /// alone. Mismatch: the gateway reported another amount, currency or order number (final, never paid).
    /// </summary>
    public enum FeePaymentStatus
    {
        Pending,
        Paid,
        Declined,
        Expired,
        Reversed,
        Refunded,
        Mismatch,
    }
}
