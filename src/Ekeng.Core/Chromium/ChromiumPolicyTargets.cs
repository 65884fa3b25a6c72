using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Chromium
{
    /// <summary>The policy stores of the browsers asked for: Windows registry keys (one hive) or Linux managed folders.</summary>
    public static class ChromiumPolicyTargets
    {
        /// <summary>The browsers' policy targets; <paramref name="folder"/> replaces the managed folder (Linux, one browser's).</summary>
        public static IReadOnlyList<IChromiumPolicyTarget> Resolve(IEnumerable<ChromiumBrowser> browsers, RegistryPolicyHive hive, string? folder = null, IRegistryPolicyStore? store = null)
        {
            var targets = new List<IChromiumPolicyTarget>();
            foreach (ChromiumBrowser browser in browsers.Distinct())
            {
                if (HostOs.IsWindows || store != null)
                {
                    targets.Add(new RegistryCertificatePolicyTarget(browser, store ?? new WindowsRegistryPolicyStore(hive)));
                }
                else
                {
                    targets.Add(new ManagedPolicyFileTarget(browser, folder ?? AutoSelectCertificatePolicy.LinuxManagedFolder(browser)));
                }
            }

            return targets;
        }
    }
}
