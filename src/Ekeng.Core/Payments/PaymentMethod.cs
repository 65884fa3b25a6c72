namespace Ekeng.Payments
{
    /// <summary>The card scheme that paid an order (Virtual ArCa is an ArCa card).</summary>
    public enum PaymentMethod
    {
        ArCa,
        Visa,
        MasterCard,
    }
}
