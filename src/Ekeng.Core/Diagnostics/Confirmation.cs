namespace Ekeng.Diagnostics
{
    /// <summary>
    /// The one way a service asks before it acts: the target (a file, a key, a token) and the action or question.
    /// The cmdlets answer with ShouldProcess (writes) or ShouldContinue (a forced PIN at its final try).
    /// </summary>
    public delegate bool Confirmation(string target, string action);
}
