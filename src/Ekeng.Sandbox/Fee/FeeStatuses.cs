namespace Ekeng.Sandbox.Fee;

/// <summary>
/// The order of a fee order's statuses: Pending → Paid | Declined | Expired | Mismatch → Reversed | Refunded.
/// A refresh may keep a status (new details, a further partial refund) or move it forward, never back.
/// </summary>
public static class FeeStatuses
{
    public static bool MayMove(string from, string to) => from == to || from switch
    {
        "Pending" => true,
        "Paid" or "Mismatch" => to is "Reversed" or "Refunded",
        "Reversed" or "Refunded" or "Declined" or "Expired" => false,
        _ => false,
    };
}
