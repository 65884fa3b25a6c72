namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The parameters of every command that can talk to a service speaking the module's CRM contract (the CRM and fee
    /// commands, Test-EkengSetup's registration and fee checks): its address, the private CA trusted for its host, and
    /// the AuthPIN of the card login. Their environment defaults ($env:EKENG_CRM_URI, $env:EKENG_CA_FILE) are resolved
    /// in one place, <see cref="EkengSessionOptions"/>.
    /// </summary>
    public abstract class ServiceCmdletBase : EkengCmdlet
    {
        /// <summary>The service's address (https). Default: $env:EKENG_CRM_URI, else none: the real EKENG, which publishes no API.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? CrmUri { get; set; }

        /// <summary>A PEM file whose CA certificates are the ONLY roots trusted for the service's host (no other host). Default: $env:EKENG_CA_FILE when the service's address is named too (-CrmUri or $env:EKENG_CRM_URI), else the system's roots.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedCaFile { get; set; }

        /// <summary>The AuthPIN (SecureString) for the card login to the service: checked (digits, length) before the card sees it, never retried, never logged.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Pin { get; set; }
    }
}
