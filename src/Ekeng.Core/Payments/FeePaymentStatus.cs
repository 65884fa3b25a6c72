namespace Ekeng.Payments
{
    /// <summary>
    /// EKENG's status of a fee order. Paid means the gateway's orderStatus 2 (or 1 where two-stage), as EKENG's server
    /// read it from the gateway: never an HTTP 200 or a visit of the return URL alone.
    /// </summary>
    public enum FeePaymentStatus
    {
        Pending,
        Paid,
        Declined,
        Expired,
        Reversed,
        Refunded,
    }
}
