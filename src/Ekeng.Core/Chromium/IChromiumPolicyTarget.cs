using Ekeng.Diagnostics;

namespace Ekeng.Chromium
{
    /// <summary>One browser's policy store: a managed JSON file (Linux) or a registry key (Windows).</summary>
    public interface IChromiumPolicyTarget
    {
        ChromiumBrowser Browser { get; }

        /// <summary>The file or key, for messages and output.</summary>
        string Description { get; }

        /// <summary>The AutoSelectCertificateForUrls entries there (those for <paramref name="url"/> only when given).</summary>
        ChromiumCertificatePolicy[] Get(string? url);

        /// <summary>Sets the entry for <paramref name="url"/> (others kept); null when <paramref name="shouldWrite"/> declined.</summary>
        ChromiumCertificatePolicy? Set(string url, string issuerCommonName, Confirmation shouldWrite);

        /// <summary>Removes the entries for <paramref name="url"/> (others kept); null when <paramref name="shouldWrite"/> declined.</summary>
        ChromiumCertificatePolicy? Remove(string url, Confirmation shouldWrite);
    }
}
