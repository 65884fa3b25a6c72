using System;

namespace Ekeng.Payments
{
    /// <summary>The card scheme from a (masked) pan's first digits: ArCa 9051, Visa 4, MasterCard 51–55 and 2221–2720.</summary>
    public static class CardBrand
    {
        public static PaymentMethod? FromPan(string? pan)
        {
            if (string.IsNullOrEmpty(pan))
            {
                return null;
            }

            string p = pan!.Trim();
            if (p.StartsWith("9051", StringComparison.Ordinal))
            {
                return PaymentMethod.ArCa;
            }

            if (p.StartsWith("4", StringComparison.Ordinal))
            {
                return PaymentMethod.Visa;
            }

            if (p.Length >= 4 && int.TryParse(p.Substring(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int four))
            {
                int two = four / 100;
                if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))
                {
                    return PaymentMethod.MasterCard;
                }
            }

            return null;
        }
    }
}
