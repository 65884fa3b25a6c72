namespace Ekeng.Crm.Wire
{
    /// <summary>The contract's <c>code</c> object of a Registration.</summary>
    internal sealed class SmsCodeDto
    {
        public int Length { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        public int? AttemptsLeft { get; set; }
    }
}
