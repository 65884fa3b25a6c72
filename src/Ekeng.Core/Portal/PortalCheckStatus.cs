namespace Ekeng.Portal
{
    /// <summary>The outcome of one check before the holder goes to the portal.</summary>
    public enum PortalCheckStatus
    {
        Pass,
        Warning,
        Fail,
        NotApplicable,
    }
}
