namespace Ekeng.Payments
{
    /// <summary>The body of <c>POST /api/v1/fee/orders</c>: <c>{"language":"hy","nextPeriod":false}</c>.</summary>
    internal sealed class FeeOrderRequest
    {
        public FeeOrderRequest(string language, bool nextPeriod)
        {
            Language = language;
            NextPeriod = nextPeriod;
        }

        public string Language { get; }

        public bool NextPeriod { get; }
    }
}
