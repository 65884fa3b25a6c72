using Ekeng.Diagnostics;

namespace Ekeng.Crm
{
    /// <summary>A CRM refusal with its details: attempts left for a wrong SMS code, the wait before a resend.</summary>
    public sealed class CrmException : EkengException
    {
        public CrmException(EkengError error, string message, string? serverErrorId)
            : base(error, message)
        {
            ServerErrorId = serverErrorId;
        }

        /// <summary>The contract's error id as the server sent it.</summary>
        public string? ServerErrorId { get; }

        /// <summary>SmsCodeIncorrect: how many codes may still be tried.</summary>
        public int? AttemptsLeft { get; set; }

        /// <summary>ResendTooSoon: how long to wait.</summary>
        public TimeSpan? RetryAfter { get; set; }

        /// <summary>TermsVersionChanged: the version now in force.</summary>
        public string? TermsVersion { get; set; }
    }
}
