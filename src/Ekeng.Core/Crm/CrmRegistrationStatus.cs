namespace Ekeng.Crm
{
    /// <summary>Where a holder's registration in the EKENG customer system stands.</summary>
    public enum CrmRegistrationStatus
    {
        /// <summary>No registration yet.</summary>
        NotRegistered,

        /// <summary>Registered; an SMS code was sent and waits to be typed.</summary>
        PendingCode,

        /// <summary>Register-and-pay: the 4-digit code was accepted, the annual fee is not paid yet.</summary>
        PendingPayment,

        /// <summary>The certificate is activated (other systems accept it from UsableFrom on).</summary>
        Active,
    }
}
