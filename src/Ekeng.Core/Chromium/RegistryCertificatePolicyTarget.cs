using Ekeng.Diagnostics;
using Ekeng.Firefox;

namespace Ekeng.Chromium
{
    /// <summary>
    /// Windows: a browser's AutoSelectCertificateForUrls list under HKLM or HKCU (values "1", "2", … each one JSON
    /// entry). Other entries are kept in their order; after a change the values are renumbered from 1 without gaps
    /// (the browser reads the list by number). Tests give an in-memory store.
    /// </summary>
    public sealed class RegistryCertificatePolicyTarget : IChromiumPolicyTarget
    {
        private readonly IRegistryPolicyStore _store;

        public RegistryCertificatePolicyTarget(ChromiumBrowser browser, IRegistryPolicyStore store)
        {
            Browser = browser;
            _store = store;
        }

        public ChromiumBrowser Browser { get; }

        public string SubKey => AutoSelectCertificatePolicy.RegistryKey(Browser) + @"\" + AutoSelectCertificatePolicy.PolicyName;

        public string Description => $@"{_store.HiveName}\{SubKey}";

        public ChromiumCertificatePolicy[] Get(string? url) =>
            Read().Select(e => (Ok: AutoSelectCertificatePolicy.TryRead(e, out string? pattern, out string? cn), Pattern: pattern, Cn: cn))
                .Where(e => e.Ok && (url is null || AutoSelectCertificatePolicy.SamePattern(e.Pattern, url)))
                .Select(e => Result(e.Pattern, e.Cn, CryptoModuleStatus.Present))
                .ToArray();

        public ChromiumCertificatePolicy? Set(string url, string issuerCommonName, Confirmation shouldWrite)
        {
            AutoSelectCertificatePolicy.CheckValues(url, issuerCommonName);
            List<string> current = Read();
            var (list, status, message) = AutoSelectCertificatePolicy.PlanSet(current, url, issuerCommonName);
            if (status == CryptoModuleStatus.AlreadyPresent)
            {
                return Result(url, issuerCommonName, status, message);
            }

            if (!shouldWrite(Description, $"Set {AutoSelectCertificatePolicy.PolicyName} for {url} (issuer CN '{issuerCommonName}')"))
            {
                return null;
            }

            Write(list);
            return Result(url, issuerCommonName, status, message);
        }

        public ChromiumCertificatePolicy? Remove(string url, Confirmation shouldWrite)
        {
            var (list, removed) = AutoSelectCertificatePolicy.PlanRemove(Read(), url);
            if (removed == 0)
            {
                return Result(url, null, CryptoModuleStatus.NotPresent);
            }

            if (!shouldWrite(Description, $"Remove {AutoSelectCertificatePolicy.PolicyName} for {url}"))
            {
                return null;
            }

            Write(list);
            return Result(url, null, CryptoModuleStatus.Removed);
        }

        /// <summary>The list in the browser's order: the numbered values by number (other names are not list items and are left alone).</summary>
        private List<string> Read()
        {
            IReadOnlyList<KeyValuePair<string, string>>? values = _store.ReadValues(SubKey);
            if (values is null)
            {
                return new List<string>();
            }

            return values
                .Where(v => int.TryParse(v.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
                .OrderBy(v => int.Parse(v.Key, CultureInfo.InvariantCulture))
                .Select(v => v.Value)
                .ToList();
        }

        private void Write(IReadOnlyList<string> list)
        {
            IReadOnlyList<KeyValuePair<string, string>> before = _store.ReadValues(SubKey) ?? Array.Empty<KeyValuePair<string, string>>();
            for (int i = 0; i < list.Count; i++)
            {
                _store.SetString(SubKey, (i + 1).ToString(CultureInfo.InvariantCulture), list[i]);
            }

            foreach (KeyValuePair<string, string> value in before)
            {
                if (int.TryParse(value.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > list.Count)
                {
                    _store.DeleteValue(SubKey, value.Key);
                }
            }
        }

        private ChromiumCertificatePolicy Result(string? url, string? cn, CryptoModuleStatus status, string? message = null) =>
            new ChromiumCertificatePolicy { Browser = Browser, Target = Description, Url = url, IssuerCommonName = cn, Status = status, Message = message };
    }
}
