namespace Ekeng.Firefox
{
    /// <summary>The registry hives that hold Firefox's Group Policy keys.</summary>
    public enum RegistryPolicyHive
    {
        LocalMachine,
        CurrentUser,
    }
}
