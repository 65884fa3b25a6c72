using System.Text.Json;
using System.Text.Json.Nodes;
using Ekeng.Diagnostics;
using Ekeng.Firefox;

namespace Ekeng.Chromium
{
    /// <summary>
    /// The AutoSelectCertificateForUrls policy of Chromium, Chrome and Edge: a list of JSON strings, each
    /// <c>{"pattern":"https://crm.ekeng.am","filter":{"ISSUER":{"CN":"&lt;issuer CN&gt;"}}}</c>; the browser then
    /// answers the portal's certificate request with the certificate that matches the filter, without a dialog.
    /// </summary>
    public static class AutoSelectCertificatePolicy
    {
        public const string PolicyName = "AutoSelectCertificateForUrls";

        /// <summary>The portal the holder signs in to.</summary>
        public const string DefaultUrl = "https://crm.ekeng.am";

        /// <summary>Linux: the managed policy folder of each browser.</summary>
        public static string LinuxManagedFolder(ChromiumBrowser browser) => browser switch
        {
            ChromiumBrowser.Chrome => "/etc/opt/chrome/policies/managed",
            ChromiumBrowser.Edge => "/etc/opt/edge/policies/managed",
            _ => "/etc/chromium/policies/managed",
        };

        /// <summary>Windows: the policy key of each browser (under HKLM or HKCU); the list is its sub-key named after the policy.</summary>
        public static string RegistryKey(ChromiumBrowser browser) => browser switch
        {
            ChromiumBrowser.Chrome => @"SOFTWARE\Policies\Google\Chrome",
            ChromiumBrowser.Edge => @"SOFTWARE\Policies\Microsoft\Edge",
            _ => @"SOFTWARE\Policies\Chromium",
        };

        /// <summary>The list entry for <paramref name="url"/> and the issuer's common name.</summary>
        public static string Entry(string url, string issuerCommonName)
        {
            var entry = new JsonObject
            {
                ["pattern"] = url,
                ["filter"] = new JsonObject { ["ISSUER"] = new JsonObject { ["CN"] = issuerCommonName } },
            };
            return entry.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        /// <summary>The pattern and issuer CN of an entry; false for an entry that is not such JSON (kept as it is).</summary>
        public static bool TryRead(string? entry, out string? pattern, out string? issuerCommonName)
        {
            pattern = null;
            issuerCommonName = null;
            if (string.IsNullOrWhiteSpace(entry))
            {
                return false;
            }

            try
            {
                if (!(JsonNode.Parse(entry!) is JsonObject o))
                {
                    return false;
                }

                pattern = (o["pattern"] as JsonValue)?.TryGetValue(out string? p) == true ? p : null;
                if (o["filter"] is JsonObject filter && filter["ISSUER"] is JsonObject issuer && issuer["CN"] is JsonValue cn && cn.TryGetValue(out string? value))
                {
                    issuerCommonName = value;
                }

                return pattern != null;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>True when the two patterns name the same site (case and a trailing slash ignored).</summary>
        public static bool SamePattern(string? a, string? b) =>
            a != null && b != null && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

        /// <summary>Checks a URL pattern and issuer CN before anything is written (PolicyValueInvalid).</summary>
        public static void CheckValues(string url, string? issuerCommonName)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps || url.IndexOfAny(new[] { '"', '\r', '\n', '\0' }) >= 0)
            {
                throw new EkengException(BrowserErrors.PolicyValueInvalid, $"'{url}' is not an https:// URL pattern the browsers accept here.")
                {
                    TargetObject = url,
                };
            }

            if (issuerCommonName != null && (issuerCommonName.Length == 0 || issuerCommonName.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0))
            {
                throw new EkengException(BrowserErrors.PolicyValueInvalid, "The issuer common name is empty or holds a line break or NUL.")
                {
                    TargetObject = issuerCommonName,
                };
            }
        }

        /// <summary>The list with the entry for <paramref name="url"/> set (others kept in order); the status says what changed.</summary>
        internal static (List<string> List, Firefox.CryptoModuleStatus Status, string? Message) PlanSet(IReadOnlyList<string> current, string url, string issuerCommonName)
        {
            string wanted = Entry(url, issuerCommonName);
            var list = new List<string>();
            bool found = false;
            bool same = false;
            string? replaced = null;
            foreach (string entry in current)
            {
                if (TryRead(entry, out string? pattern, out string? cn) && SamePattern(pattern, url))
                {
                    if (found)
                    {
                        continue;
                    }

                    found = true;
                    same = string.Equals(cn, issuerCommonName, StringComparison.Ordinal) && string.Equals(pattern, url, StringComparison.Ordinal);
                    replaced = cn;
                    list.Add(same ? entry : wanted);
                    continue;
                }

                list.Add(entry);
            }

            if (!found)
            {
                list.Add(wanted);
                return (list, Firefox.CryptoModuleStatus.Added, null);
            }

            return same && list.Count == current.Count
                ? (list, Firefox.CryptoModuleStatus.AlreadyPresent, null)
                : (list, Firefox.CryptoModuleStatus.Updated, $"The entry for {url} picked issuer CN '{replaced}'.");
        }

        /// <summary>The list without the entries for <paramref name="url"/>.</summary>
        internal static (List<string> List, int Removed) PlanRemove(IReadOnlyList<string> current, string url)
        {
            var list = new List<string>();
            int removed = 0;
            foreach (string entry in current)
            {
                if (TryRead(entry, out string? pattern, out _) && SamePattern(pattern, url))
                {
                    removed++;
                    continue;
                }

                list.Add(entry);
            }

            return (list, removed);
        }
    }
}
