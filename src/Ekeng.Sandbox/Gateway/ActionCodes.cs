namespace Ekeng.Sandbox.Gateway;

/// <summary>The actionCodes the gateway gives, and their descriptions (ArCa manual).</summary>
public static class ActionCodes
{
    public const int Approved = 0;
    public const int NoAttempt = -100;
    public const int InsufficientFunds = 116;
    public const int ExpiredCard = 101;
    public const int Fraud = 2001;
    public const int TimeLimit = -2007;
    public const int ThreeDSecureDeclined = -2006;

    public static string Describe(int code) => code switch
    {
        Approved => "Approved",
        NoAttempt => "No payment attempt yet",
        InsufficientFunds => "Insufficient funds",
        ExpiredCard => "Card expired",
        Fraud => "Declined: suspected fraud",
        TimeLimit => "Payment time limit exceeded",
        ThreeDSecureDeclined => "3-D Secure authentication declined",
        _ => "Declined",
    };
}
