namespace Ekeng.Payments.Wire
{
    /// <summary>The body of <c>POST /api/v1/fee/orders</c>: <c>{"language":"hy","nextPeriod":false}</c>.</summary>
    internal sealed class FeeOrderRequestDto
    {
        public string? Language { get; set; }

        public bool NextPeriod { get; set; }
    }
}
