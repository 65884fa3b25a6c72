namespace Ekeng.Portal
{
    /// <summary>
    /// The real EKENG pages of the manual's procedures 2-4. EKENG publishes no API for them: a holder registers and pays
    /// in a browser, logged in with the card. The module opens these pages and never sends the modelled API to them.
    /// </summary>
    public static class EkengPortal
    {
        /// <summary>The EKENG customer system: registration, activation of the certificate, the annual fee.</summary>
        public static readonly Uri CrmUri = new Uri("https://crm.ekeng.am/");

        /// <summary>EKENG's page "how to pay" for the e-signature (ekeng.am, Էլ. Ստորագրություն, ինչպես վճարել).</summary>
        public static readonly Uri HowToPayUri = new Uri("https://www.ekeng.am/hy/howtopay");

        /// <summary>The page where a procedure starts.</summary>
        public static Uri PageOf(PortalProcedure procedure) => CrmUri;

        /// <summary>A page with more about a procedure, or null.</summary>
        public static Uri? InfoOf(PortalProcedure procedure) =>
            procedure == PortalProcedure.FeePayment || procedure == PortalProcedure.RegisterAndPay || procedure == PortalProcedure.PaymentStatus ? HowToPayUri : null;
    }
}
