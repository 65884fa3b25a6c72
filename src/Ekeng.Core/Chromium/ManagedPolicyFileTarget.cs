using System.Text.Json;
using System.Text.Json.Nodes;
using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Chromium
{
    /// <summary>
    /// Linux: the module's own file in a browser's managed policy folder (strict JSON, 0644 as the browser needs it).
    /// The folder is resolved once and worked on through its handle; every other policy in the file is kept, other
    /// files are never written (one that also sets AutoSelectCertificateForUrls is named in the result: the browser
    /// reports a conflict between files). Removing the last entry removes the file the module made.
    /// </summary>
    public sealed class ManagedPolicyFileTarget : IChromiumPolicyTarget
    {
        /// <summary>The module's file name in each managed folder.</summary>
        public const string FileName = "ekeng-powershell.json";

        private const int MaxPolicyBytes = 1024 * 1024;

        public ManagedPolicyFileTarget(ChromiumBrowser browser, string folder)
        {
            Browser = browser;
            Folder = System.IO.Path.GetFullPath(folder);
        }

        public ChromiumBrowser Browser { get; }

        public string Folder { get; }

        public string File => System.IO.Path.Combine(Folder, FileName);

        public string Description => File;

        public ChromiumCertificatePolicy[] Get(string? url)
        {
            JsonObject root;
            try
            {
                using (SafeFolder folder = SafeFolder.Open(Folder))
                {
                    root = Read(folder);
                }
            }
            catch (DirectoryNotFoundException)
            {
                return Array.Empty<ChromiumCertificatePolicy>();
            }

            return Entries(root)
                .Select(e => (Ok: AutoSelectCertificatePolicy.TryRead(e, out string? pattern, out string? cn), Pattern: pattern, Cn: cn))
                .Where(e => e.Ok && (url is null || AutoSelectCertificatePolicy.SamePattern(e.Pattern, url)))
                .Select(e => Result(e.Pattern, e.Cn, CryptoModuleStatus.Present))
                .ToArray();
        }

        public ChromiumCertificatePolicy? Set(string url, string issuerCommonName, Confirmation shouldWrite)
        {
            AutoSelectCertificatePolicy.CheckValues(url, issuerCommonName);
            using (SafeFolder folder = OpenOrCreateFolder(shouldWrite, out bool declined))
            {
                if (declined)
                {
                    return null;
                }

                using (folder.Lock())
                {
                    JsonObject root = Read(folder);
                    var (list, status, message) = AutoSelectCertificatePolicy.PlanSet(Entries(root), url, issuerCommonName);
                    string? others = OthersSettingIt(folder);
                    message = Join(message, others);
                    if (status == CryptoModuleStatus.AlreadyPresent)
                    {
                        return Result(url, issuerCommonName, status, message);
                    }

                    if (!shouldWrite(File, $"Set {AutoSelectCertificatePolicy.PolicyName} for {url} (issuer CN '{issuerCommonName}')"))
                    {
                        return null;
                    }

                    root[AutoSelectCertificatePolicy.PolicyName] = new JsonArray(list.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
                    folder.Write(FileName, Serialize(root), AtomicFile.WorldReadableMode);
                    return Result(url, issuerCommonName, status, message);
                }
            }
        }

        public ChromiumCertificatePolicy? Remove(string url, Confirmation shouldWrite)
        {
            SafeFolder folder;
            try
            {
                folder = SafeFolder.Open(Folder);
            }
            catch (DirectoryNotFoundException)
            {
                return Result(url, null, CryptoModuleStatus.NotPresent);
            }

            using (folder)
            using (folder.Lock())
            {
                JsonObject root = Read(folder);
                var (list, removed) = AutoSelectCertificatePolicy.PlanRemove(Entries(root), url);
                if (removed == 0)
                {
                    return Result(url, null, CryptoModuleStatus.NotPresent);
                }

                if (!shouldWrite(File, $"Remove {AutoSelectCertificatePolicy.PolicyName} for {url}"))
                {
                    return null;
                }

                if (list.Count == 0)
                {
                    root.Remove(AutoSelectCertificatePolicy.PolicyName);
                }
                else
                {
                    root[AutoSelectCertificatePolicy.PolicyName] = new JsonArray(list.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
                }

                if (root.Count == 0)
                {
                    folder.DeleteFile(FileName);
                    folder.DeleteFile(AtomicFile.BackupPath(FileName));
                    return Result(url, null, CryptoModuleStatus.Removed, $"{FileName} held nothing else and was removed.");
                }

                folder.Write(FileName, Serialize(root), AtomicFile.WorldReadableMode);
                return Result(url, null, CryptoModuleStatus.Removed);
            }
        }

        /// <summary>The policy object of the module's file; an empty one when the file is not there.</summary>
        private JsonObject Read(SafeFolder folder)
        {
            byte[] content;
            try
            {
                content = folder.ReadAllBytes(FileName, MaxPolicyBytes);
            }
            catch (FileNotFoundException)
            {
                return new JsonObject();
            }

            return Parse(content, File);
        }

        internal static JsonObject Parse(byte[] content, string file)
        {
            try
            {
                string text = new UTF8Encoding(false, true).GetString(content).TrimStart('\uFEFF');
                if (text.Trim().Length == 0)
                {
                    return new JsonObject();
                }

                if (JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow }) is JsonObject o)
                {
                    return o;
                }
            }
            catch (Exception e) when (e is JsonException || e is DecoderFallbackException)
            {
                throw Invalid(file, e.Message, e);
            }

            throw Invalid(file, "the top level is not a JSON object", null);
        }

        private static EkengException Invalid(string file, string reason, Exception? inner) =>
            new EkengException(BrowserErrors.PolicyJsonInvalid, $"'{file}' is not a policy file the browsers can read ({reason}); it was not changed.", inner)
            {
                TargetObject = file,
            };

        /// <summary>The list's string entries; a policy that is not a list of strings is refused (never silently replaced).</summary>
        private IReadOnlyList<string> Entries(JsonObject root)
        {
            JsonNode? node = root[AutoSelectCertificatePolicy.PolicyName];
            if (node is null)
            {
                return Array.Empty<string>();
            }

            if (node is JsonArray array && array.All(n => n is JsonValue v && v.TryGetValue(out string? _)))
            {
                return array.Select(n => n!.GetValue<string>()).ToList();
            }

            throw Invalid(File, $"{AutoSelectCertificatePolicy.PolicyName} is not a list of strings", null);
        }

        /// <summary>Other JSON files of the folder that also set the policy (named in the result), bounded reads, unreadable ones skipped.</summary>
        private string? OthersSettingIt(SafeFolder folder)
        {
            var names = new List<string>();
            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(Folder, "*.json").Select(System.IO.Path.GetFileName).Where(n => n != FileName).Take(100).ToList()!;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }

            foreach (string name in files)
            {
                try
                {
                    if (Parse(folder.ReadAllBytes(name, MaxPolicyBytes), folder.Combine(name)).ContainsKey(AutoSelectCertificatePolicy.PolicyName))
                    {
                        names.Add(name);
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is EkengException)
                {
                }
            }

            return names.Count == 0 ? null
                : $"{string.Join(", ", names)} in {Folder} also set{(names.Count == 1 ? "s" : string.Empty)} {AutoSelectCertificatePolicy.PolicyName}: the browser applies one file's list and reports a conflict; merge them into one file.";
        }

        /// <summary>The managed folder, created (0755, root's) from its nearest existing parent when missing, after asking.</summary>
        private SafeFolder OpenOrCreateFolder(Confirmation shouldWrite, out bool declined)
        {
            declined = false;
            try
            {
                return SafeFolder.Open(Folder);
            }
            catch (DirectoryNotFoundException)
            {
            }

            if (!shouldWrite(Folder, "Create the managed policy folder"))
            {
                declined = true;
                return null!;
            }

            string[] parts = Folder.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            SafeFolder current = SafeFolder.Open("/");
            foreach (string part in parts)
            {
                SafeFolder next;
                try
                {
                    next = current.OpenOrCreateSubfolder(part, 0x1ED);
                }
                finally
                {
                    current.Dispose();
                }

                current = next;
            }

            return current;
        }

        private static byte[] Serialize(JsonObject root) =>
            Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

        private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + " " + b;

        private ChromiumCertificatePolicy Result(string? url, string? cn, CryptoModuleStatus status, string? message = null) =>
            new ChromiumCertificatePolicy { Browser = Browser, Target = File, Url = url, IssuerCommonName = cn, Status = status, Message = message };
    }
}
