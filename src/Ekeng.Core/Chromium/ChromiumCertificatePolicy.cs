using Ekeng.Firefox;

namespace Ekeng.Chromium
{
    /// <summary>One AutoSelectCertificateForUrls entry in one browser's policy (a managed JSON file or a registry key).</summary>
    public sealed class ChromiumCertificatePolicy
    {
        public ChromiumBrowser Browser { get; set; }

        /// <summary>The managed policy file (Linux) or registry key (Windows), e.g. HKLM\SOFTWARE\Policies\Google\Chrome\AutoSelectCertificateForUrls.</summary>
        public string Target { get; set; } = string.Empty;

        /// <summary>The URL pattern the browser answers a certificate request for without a dialog.</summary>
        public string? Url { get; set; }

        /// <summary>The issuer common name that picks the certificate (the card CA's).</summary>
        public string? IssuerCommonName { get; set; }

        public CryptoModuleStatus Status { get; set; }

        public string? Message { get; set; }

        public override string ToString() => $"{Browser} {Url} ({IssuerCommonName}) {Status} @ {Target}";
    }
}
