using System.ComponentModel;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>A policies.json as a target: the SecurityDevices policy merged in place, everything else kept.</summary>
    public sealed class PolicyFileModuleTarget : ICryptoModuleTarget
    {
        private readonly CryptoModuleService _service;

        public PolicyFileModuleTarget(CryptoModuleService service, MozillaApplication application, string file)
        {
            _service = service;
            Application = application;
            File = file;
        }

        public MozillaApplication Application { get; }

        /// <summary>The policies.json file.</summary>
        public string File { get; }

        public string Description => File;

        public ModuleResult[] Get(Func<string?, bool>? nameFilter = null)
        {
            try
            {
                if (!_service.Environment.FileExists(File))
                {
                    return Array.Empty<ModuleResult>();
                }

                SecurityDevicesPolicy policy = PoliciesJson.Read(ReadPolicyFile(File), File);
                return policy.EffectiveDevices
                    .Where(d => nameFilter is null || nameFilter(d.Key))
                    .Select(d => new ModuleResult(PolicyModule(Application, File, null, d.Key, d.Value, CryptoModuleStatus.Present)))
                    .ToArray();
            }
            catch (EkengException e)
            {
                return new[] { new ModuleResult(null, e) };
            }
        }

        public ModuleResult Set(CryptoModuleSpec spec, Confirmation shouldWrite) =>
            EditPolicyFile(spec.Name, spec.Library, p => p.Set(spec.Name, spec.Library, _service.Paths), shouldWrite, "Add SecurityDevices policy", createIfMissing: true);

        public ModuleResult Remove(string name, string? library, Confirmation shouldWrite) =>
            EditPolicyFile(name, library ?? string.Empty, p => p.Remove(name, library, _service.Paths), shouldWrite, "Remove SecurityDevices policy", createIfMissing: false);

        public ModuleResult Test(CryptoModuleSpec spec)
        {
            try
            {
                byte[]? content = _service.Environment.FileExists(File) ? ReadPolicyFile(File) : null;
                (PolicyEdit edit, _) = PoliciesJson.Edit(content, File, p => p.Set(spec.Name, spec.Library, _service.Paths));
                bool present = edit.Status == CryptoModuleStatus.AlreadyPresent;
                return new ModuleResult(PolicyModule(Application, File, null, edit.Name, edit.Library, present ? CryptoModuleStatus.Present : CryptoModuleStatus.NotPresent, edit.Message));
            }
            catch (EkengException e)
            {
                return new ModuleResult(PolicyModule(Application, File, null, spec.Name, spec.Library, CryptoModuleStatus.Skipped, e.Message), e);
            }
        }

        private ModuleResult EditPolicyFile(string name, string library, Func<SecurityDevicesPolicy, PolicyEdit> edit, Confirmation shouldWrite, string action, bool createIfMissing)
        {
            // The folder is resolved once; one run at a time edits its policies.json (when the folder exists; a new one
            // is created below); the read and the write work on that one folder handle.
            string folderPath = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(File)) ?? ".";
            string fileName = System.IO.Path.GetFileName(File);
            SafeFolder? folder = null;
            FolderLock? folderLock = null;
            try
            {
                if (System.IO.Directory.Exists(folderPath))
                {
                    folder = SafeFolder.Open(folderPath);
                    folderLock = folder.Lock();
                }

                byte[]? content = folder is null ? null : ReadPolicyFile(folder, fileName);
                if (content is null && !createIfMissing)
                {
                    return new ModuleResult(PolicyModule(Application, File, null, name, library, CryptoModuleStatus.NotPresent, "No policies.json here."));
                }

                (PolicyEdit result, byte[]? updated) = PoliciesJson.Edit(content, File, edit);
                if (updated is null)
                {
                    return new ModuleResult(PolicyModule(Application, File, null, result.Name, result.Library, result.Status, result.Message));
                }

                if (!shouldWrite(File, $"{action} '{result.Name}' ({result.Library})"))
                {
                    return new ModuleResult(null);
                }

                if (folder is null)
                {
                    System.IO.Directory.CreateDirectory(folderPath);
                    folder = SafeFolder.Open(folderPath);
                }

                // A new policies.json is 0644 whatever the umask (every user's Firefox reads it), owned by the folder's owner.
                string? backup = folder.Write(fileName, updated, AtomicFile.WorldReadableMode);
                _service.Logger.LogInformation("{File}: {Status} '{Name}'{Backup}.", File, result.Status, result.Name, backup is null ? " (new file)" : $" (previous content in {backup})");
                return new ModuleResult(PolicyModule(Application, File, null, result.Name, result.Library, result.Status, result.Message));
            }
            catch (EkengException e)
            {
                return new ModuleResult(PolicyModule(Application, File, null, name, library, CryptoModuleStatus.Skipped, e.Message), e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var failed = new EkengException(BrowserErrors.PolicyWriteFailed, e is UnauthorizedAccessException ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError,
                    $"Cannot write '{File}': {e.Message} The file was left as it was.", e)
                {
                    TargetObject = File,
                };
                return new ModuleResult(PolicyModule(Application, File, null, name, library, CryptoModuleStatus.Skipped, failed.Message), failed);
            }
            finally
            {
                folderLock?.Dispose();
                folder?.Dispose();
            }
        }

        /// <summary>policies.json read on the folder's handle; null when it does not exist.</summary>
        private static byte[]? ReadPolicyFile(SafeFolder folder, string name)
        {
            try
            {
                return folder.ReadAllBytes(name);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var error = new EkengException(BrowserErrors.PolicyJsonUnreadable, $"Cannot read '{folder.Combine(name)}': {e.Message}", e)
                {
                    TargetObject = folder.Combine(name),
                };
                throw error;
            }
        }

        private static byte[] ReadPolicyFile(string file)
        {
            try
            {
                return SafeFile.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var error = new EkengException(BrowserErrors.PolicyJsonUnreadable, $"Cannot read '{file}': {e.Message}", e)
                {
                    TargetObject = file,
                };
                throw error;
            }
        }

        internal static FirefoxCryptoModule PolicyModule(MozillaApplication application, string? file, string? registryKey, string? name, string? library, CryptoModuleStatus status, string? message = null) =>
            new FirefoxCryptoModule
            {
                Application = application,
                Scope = CryptoModuleScope.Policy,
                PolicyPath = file,
                RegistryKey = registryKey,
                Name = name,
                Library = string.IsNullOrEmpty(library) ? null : library,
                Status = status,
                Message = message,
            };
    }
}
