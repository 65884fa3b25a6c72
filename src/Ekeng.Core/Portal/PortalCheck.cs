namespace Ekeng.Portal
{
    /// <summary>One thing the module checked for the portal: the card, a PIN, the certificate, a browser.</summary>
    public sealed class PortalCheck
    {
        public PortalCheck(string name, PortalCheckStatus status, string detail, string? remedy = null)
        {
            Name = name;
            Status = status;
            Detail = detail;
            Remedy = remedy;
        }

        /// <summary>What was checked, e.g. <c>AuthPIN</c>.</summary>
        public string Name { get; }

        public PortalCheckStatus Status { get; }

        /// <summary>What was found.</summary>
        public string Detail { get; }

        /// <summary>The command or step that fixes a Warning or Fail; null when nothing is to be done.</summary>
        public string? Remedy { get; }

        public override string ToString() => $"{Name}: {Status} ({Detail})";
    }
}
