namespace Ekeng.Portal
{
    /// <summary>The manual's procedures that happen on EKENG's real web pages (no public API exists for them).</summary>
    public enum PortalProcedure
    {
        /// <summary>Procedure 2: registration at crm.ekeng.am (phone, data check, terms, SMS code, "activate the certificate").</summary>
        Registration,

        /// <summary>Procedure 3: the annual fee online (ArCa, Visa, MasterCard on the bank's page; print the receipt).</summary>
        FeePayment,

        /// <summary>Procedure 4: register and pay in one step (phone and consent, 4-digit code, payment).</summary>
        RegisterAndPay,

        /// <summary>Reading the registration's state: shown on crm.ekeng.am after the card login.</summary>
        RegistrationStatus,

        /// <summary>Reading the fee's state and receipts: shown on crm.ekeng.am after the card login.</summary>
        PaymentStatus,
    }
}
