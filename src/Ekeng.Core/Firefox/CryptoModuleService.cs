using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using Ekeng.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>What one target gave: the object to output (null when -WhatIf declined the write) and an error to report.</summary>
    public sealed class ModuleResult
    {
        public ModuleResult(FirefoxCryptoModule? module, EkengException? error = null)
        {
            Module = module;
            Error = error;
        }

        public FirefoxCryptoModule? Module { get; }

        public EkengException? Error { get; }
    }

    /// <summary>Asks before a write: the target and the action (the cmdlet's ShouldProcess).</summary>
    public delegate bool ShouldWrite(string target, string action);

    /// <summary>
    /// Registers, finds and removes a PKCS#11 module in Firefox/Thunderbird profiles (pkcs11.txt) and in the
    /// SecurityDevices enterprise policy (policies.json, Windows registry). Knows nothing of PowerShell.
    /// </summary>
    public sealed class CryptoModuleService
    {
        private readonly ILogger _logger;
        private readonly ProfileLockDetector _locks;

        public CryptoModuleService(MozillaEnvironment environment, ILogger? logger = null, IProcessProbe? probe = null)
        {
            Environment = environment;
            _logger = logger ?? NullLogger.Instance;
            _locks = new ProfileLockDetector(environment.Platform, probe);
            Paths = new LibraryPaths(environment);
            Profiles = new ProfileLocator(environment, _logger);
            Installs = new MozillaInstallLocator(environment);
        }

        public MozillaEnvironment Environment { get; }

        public LibraryPaths Paths { get; }

        public ProfileLocator Profiles { get; }

        public MozillaInstallLocator Installs { get; }

        // ---- checks before writing ----

        /// <summary>
        /// The library must exist, and its CPU must be one the application's installations can load (a 32-bit DLL in
        /// a 64-bit Firefox is the peers' top failure). With <paramref name="force"/> both become warnings.
        /// </summary>
        public void CheckLibrary(string library, IEnumerable<MozillaApplication> applications, bool force)
        {
            string expanded = Paths.Normalize(library);
            if (!Environment.FileExists(expanded))
            {
                var error = new EkengException("ModuleLibraryNotFound", EkengErrorKind.ObjectNotFound, $"The PKCS#11 library '{library}' does not exist.");
                error.RecommendedAction = "Install the card's middleware (CryptoTech CryptoCard Suite), give its library with -Path, or use -Force to register the path anyway (for a library installed later).";
                error.TargetObject = library;
                if (!force)
                {
                    throw error;
                }

                _logger.LogWarning("{Message} -Force: registered anyway.", error.Message);
                return;
            }

            BinaryMachine? machine;
            try
            {
                machine = BinaryMachine.Read(expanded);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is EkengException)
            {
                _logger.LogWarning("Cannot read '{Library}' to check its CPU type: {Reason}", library, e.Message);
                return;
            }

            if (machine is null)
            {
                _logger.LogWarning("'{Library}' is not a library this module recognises (PE, ELF, Mach-O); its CPU type was not checked.", library);
                return;
            }

            var builds = new List<(MozillaInstall Install, BinaryMachine Machine)>();
            foreach (MozillaApplication application in applications.Distinct())
            {
                foreach (MozillaInstall install in Installs.Find(application))
                {
                    if (install.MachineBinary is null)
                    {
                        continue;
                    }

                    try
                    {
                        BinaryMachine? build = BinaryMachine.Read(install.MachineBinary);
                        if (build != null)
                        {
                            builds.Add((install, build));
                        }
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is EkengException)
                    {
                        _logger.LogDebug("Cannot read {Binary}: {Reason}", install.MachineBinary, e.Message);
                    }
                }
            }

            if (builds.Count == 0)
            {
                _logger.LogInformation("No installation found to compare '{Library}' ({Machine}) with.", library, machine);
                return;
            }

            if (builds.Any(b => b.Machine.Equals(machine)))
            {
                _logger.LogInformation("'{Library}' is {Machine}, as {Install}.", library, machine, string.Join(", ", builds.Where(b => b.Machine.Equals(machine)).Select(b => b.Install.Directory)));
                return;
            }

            var mismatch = new EkengException("ModuleArchitectureMismatch", EkengErrorKind.InvalidArgument,
                $"The PKCS#11 library '{library}' is {machine}, but {string.Join(", ", builds.Select(b => $"{b.Install.Directory} is {b.Machine}"))}: Firefox cannot load it.");
            mismatch.RecommendedAction = "Use the library built for the same CPU as Firefox (on 64-bit Windows: %ProgramFiles%, not %ProgramFiles(x86)%), or -Force to register it anyway.";
            mismatch.TargetObject = library;
            if (!force)
            {
                throw mismatch;
            }

            _logger.LogWarning("{Message} -Force: registered anyway.", mismatch.Message);
        }

        /// <summary>A warning for a snap or flatpak Firefox, which runs sandboxed and usually cannot load a host library; null otherwise.</summary>
        public static string? SandboxWarning(MozillaProfile profile, string library)
        {
            switch (profile.Packaging)
            {
                case MozillaPackaging.Snap:
                    return $"Profile '{profile.Name}' belongs to the snap {profile.Application}: it runs confined and usually cannot load '{library}' from the host. The entry is written; if the device does not appear, install {profile.Application} from a .deb/.rpm package (or use the snap's p11-kit support).";
                case MozillaPackaging.Flatpak:
                    return $"Profile '{profile.Name}' belongs to the flatpak {profile.Application}: its sandbox usually cannot load '{library}' from the host. The entry is written; if the device does not appear, grant the sandbox that path (flatpak override --filesystem) or use a native {profile.Application}.";
                default:
                    return null;
            }
        }

        // ---- profiles ----

        public string Pkcs11TxtPath(MozillaProfile profile) => Path.Combine(profile.Path, "pkcs11.txt");

        /// <summary>The security devices of a profile (not NSS's internal module), optionally only those whose name matches.</summary>
        public ModuleResult[] GetFromProfile(MozillaProfile profile, Func<string?, bool>? nameFilter = null)
        {
            Pkcs11Txt txt;
            try
            {
                txt = ReadPkcs11Txt(profile);
            }
            catch (EkengException e)
            {
                return new[] { new ModuleResult(null, e) };
            }

            return txt.ExternalModules
                .Where(m => nameFilter is null || nameFilter(m.Name))
                .Select(m => new ModuleResult(ProfileModule(profile, m.Name, m.Library, CryptoModuleStatus.Present)))
                .ToArray();
        }

        /// <summary>Registers the module in a profile's pkcs11.txt (see <see cref="PlanSet"/>).</summary>
        public ModuleResult SetInProfile(MozillaProfile profile, CryptoModuleSpec spec, ShouldWrite shouldWrite)
        {
            return EditProfile(profile, spec.Name, spec.Library, txt => PlanSet(txt, spec), shouldWrite, "Add PKCS#11 module");
        }

        /// <summary>Removes the modules named <paramref name="name"/>, and those of <paramref name="library"/> when given.</summary>
        public ModuleResult RemoveFromProfile(MozillaProfile profile, string name, string? library, ShouldWrite shouldWrite)
        {
            return EditProfile(profile, name, library ?? string.Empty, txt => PlanRemove(txt, name, library), shouldWrite, "Remove PKCS#11 module");
        }

        /// <summary>True when Set would find the module already there (its library registered, not under a stale path).</summary>
        public ModuleResult TestProfile(MozillaProfile profile, CryptoModuleSpec spec)
        {
            try
            {
                Pkcs11Txt txt = ReadPkcs11Txt(profile);
                Plan plan = PlanSet(txt, spec);
                return new ModuleResult(ProfileModule(profile, plan.Name, plan.Library, plan.Status == CryptoModuleStatus.AlreadyPresent ? CryptoModuleStatus.Present : CryptoModuleStatus.NotPresent, plan.Message));
            }
            catch (EkengException e)
            {
                return new ModuleResult(ProfileModule(profile, spec.Name, spec.Library, CryptoModuleStatus.Skipped, e.Message), e);
            }
        }

        private ModuleResult EditProfile(MozillaProfile profile, string name, string library, Func<Pkcs11Txt, Plan> plan, ShouldWrite shouldWrite, string action)
        {
            string file = Pkcs11TxtPath(profile);
            if (!Environment.DirectoryExists(profile.Path))
            {
                var missing = new EkengException("ProfileNotFound", EkengErrorKind.ObjectNotFound, $"The profile folder '{profile.Path}' does not exist.");
                missing.RecommendedAction = "Check the path; for profiles.ini entries, Firefox removes stale ones from its Profile Manager (about:profiles).";
                missing.TargetObject = profile.Path;
                return new ModuleResult(ProfileModule(profile, name, library, CryptoModuleStatus.Skipped, missing.Message), missing);
            }

            // One run at a time edits this profile's files: another run's update is read, never overwritten.
            FolderLock folderLock;
            try
            {
                folderLock = FolderLock.Acquire(file);
            }
            catch (EkengException e)
            {
                return new ModuleResult(ProfileModule(profile, name, library, CryptoModuleStatus.Skipped, e.Message), e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                EkengException failed = WriteFailed(file, e);
                return new ModuleResult(ProfileModule(profile, name, library, CryptoModuleStatus.Skipped, failed.Message), failed);
            }

            using (folderLock)
            {
                return EditProfileLocked(profile, file, name, library, plan, shouldWrite, action);
            }
        }

        private ModuleResult EditProfileLocked(MozillaProfile profile, string file, string name, string library, Func<Pkcs11Txt, Plan> plan, ShouldWrite shouldWrite, string action)
        {
            Pkcs11Txt txt;
            try
            {
                txt = ReadPkcs11Txt(profile);
            }
            catch (EkengException e)
            {
                return new ModuleResult(ProfileModule(profile, name, library, CryptoModuleStatus.Skipped, e.Message), e);
            }

            Plan p = plan(txt);
            if (!p.Changed)
            {
                _logger.LogInformation("{Profile}: {Status}, nothing written.", profile.Path, p.Status);
                return new ModuleResult(ProfileModule(profile, p.Name, p.Library, p.Status, p.Message));
            }

            ProfileLockState state = _locks.Check(profile.Path);
            if (state.IsRunning)
            {
                var running = new EkengException("FirefoxRunning", EkengErrorKind.ResourceBusy,
                    $"{profile.Application} is running on profile '{profile.Name}' ({state.Description}); its pkcs11.txt was not changed.");
                running.RecommendedAction = $"Close {profile.Application} and run the command again, or register the module machine-wide with -Scope Policy: {profile.Application} applies the policy at its next start.";
                running.TargetObject = profile.Path;
                return new ModuleResult(ProfileModule(profile, name, library, CryptoModuleStatus.Skipped, running.Message), running);
            }

            _logger.LogDebug("{Profile}: lock check: {State}.", profile.Path, state.Description);
            if (!shouldWrite(file, $"{action} '{p.Name}' ({p.Library})"))
            {
                return new ModuleResult(null);
            }

            try
            {
                // A new pkcs11.txt is 0600 as NSS makes it, owned by the profile folder's owner; an existing one keeps its owner and mode.
                string? backup = AtomicFile.Write(file, txt.ToBytes(), AtomicFile.PrivateMode);
                _logger.LogInformation("{File}: {Status} '{Name}'{Backup}.", file, p.Status, p.Name, backup is null ? string.Empty : $" (previous content in {backup})");
            }
            catch (EkengException e)
            {
                return new ModuleResult(ProfileModule(profile, name, library, CryptoModuleStatus.Skipped, e.Message), e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                EkengException failed = WriteFailed(file, e);
                return new ModuleResult(ProfileModule(profile, name, library, CryptoModuleStatus.Skipped, failed.Message), failed);
            }

            return new ModuleResult(ProfileModule(profile, p.Name, p.Library, p.Status, p.Message));
        }

        private static EkengException WriteFailed(string file, Exception e)
        {
            var failed = new EkengException("Pkcs11TxtWriteFailed", e is UnauthorizedAccessException ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError,
                $"Cannot write '{file}': {e.Message} The file was left as it was.", e);
            failed.RecommendedAction = "Run as the profile's owner (or as root/Administrator).";
            failed.TargetObject = file;
            return failed;
        }

        private Pkcs11Txt ReadPkcs11Txt(MozillaProfile profile)
        {
            string file = Pkcs11TxtPath(profile);
            string newLine = Environment.Platform == OsPlatform.Windows ? "\r\n" : "\n";
            if (!Environment.FileExists(file))
            {
                return Pkcs11Txt.Empty(file, newLine);
            }

            byte[] content;
            try
            {
                content = SafeFile.ReadAllBytes(file);
            }
            catch (FileNotFoundException)
            {
                return Pkcs11Txt.Empty(file, newLine);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var error = new EkengException("Pkcs11TxtUnreadable", EkengErrorKind.ReadError, $"Cannot read '{file}': {e.Message}", e);
                error.TargetObject = file;
                throw error;
            }

            return Pkcs11Txt.Parse(content, file, newLine);
        }

        private sealed class Plan
        {
            public Plan(CryptoModuleStatus status, string name, string library, bool changed, string? message = null)
            {
                Status = status;
                Name = name;
                Library = library;
                Changed = changed;
                Message = message;
            }

            public CryptoModuleStatus Status { get; }
            public string Name { get; }
            public string Library { get; }
            public bool Changed { get; }
            public string? Message { get; }
        }

        /// <summary>
        /// Set's decision for one pkcs11.txt, applied to <paramref name="txt"/> in memory: the library already there
        /// (by any name, through any path to the same file) = AlreadyPresent; a module of that name with another
        /// library = Updated (its library= line replaced); otherwise Added (a new block).
        /// </summary>
        private Plan PlanSet(Pkcs11Txt txt, CryptoModuleSpec spec)
        {
            Pkcs11TxtModule? byLibrary = txt.ExternalModules.FirstOrDefault(m => Paths.AreSame(m.Library, spec.Library));
            if (byLibrary != null)
            {
                string? note = string.Equals(byLibrary.Name, spec.Name, StringComparison.Ordinal) && string.Equals(byLibrary.Library, spec.Library, StringComparison.Ordinal)
                    ? null
                    : $"The library is already registered as '{byLibrary.Name}' ({byLibrary.Library}).";
                return new Plan(CryptoModuleStatus.AlreadyPresent, byLibrary.Name ?? spec.Name, byLibrary.Library ?? spec.Library, false, note);
            }

            Pkcs11TxtModule? byName = txt.ExternalModules.FirstOrDefault(m => string.Equals(m.Name, spec.Name, StringComparison.Ordinal));
            if (byName != null)
            {
                string? old = byName.Library;
                txt.SetLibrary(byName, spec.Library);
                return new Plan(CryptoModuleStatus.Updated, spec.Name, spec.Library, true, $"'{spec.Name}' pointed at '{old}'.");
            }

            txt.AddModule(spec.Name, spec.Library);
            return new Plan(CryptoModuleStatus.Added, spec.Name, spec.Library, true);
        }

        private Plan PlanRemove(Pkcs11Txt txt, string name, string? library)
        {
            var doomed = txt.ExternalModules
                .Where(m => string.Equals(m.Name, name, StringComparison.Ordinal) || (library != null && Paths.AreSame(m.Library, library)))
                .ToList();
            if (doomed.Count == 0)
            {
                return new Plan(CryptoModuleStatus.NotPresent, name, library ?? string.Empty, false);
            }

            string names = string.Join("', '", doomed.Select(m => m.Name));
            string shownLibrary = doomed[0].Library ?? library ?? string.Empty;

            // Remove from the end so that earlier line numbers stay valid.
            foreach (Pkcs11TxtModule module in doomed.OrderByDescending(m => m.StartLine))
            {
                Pkcs11TxtModule current = txt.ExternalModules.First(m => m.StartLine == module.StartLine);
                txt.RemoveModule(current);
            }

            return new Plan(CryptoModuleStatus.Removed, doomed[0].Name ?? name, shownLibrary, true, doomed.Count > 1 ? $"Removed '{names}'." : null);
        }

        private static FirefoxCryptoModule ProfileModule(MozillaProfile profile, string? name, string? library, CryptoModuleStatus status, string? message = null) =>
            new FirefoxCryptoModule
            {
                Application = profile.Application,
                Scope = CryptoModuleScope.Profile,
                ProfileName = profile.Name,
                ProfilePath = profile.Path,
                Name = name,
                Library = string.IsNullOrEmpty(library) ? null : library,
                Status = status,
                Message = message,
            };

        // ---- policy: policies.json ----

        /// <summary>The policies.json files of the application on this machine (see <see cref="MozillaInstallLocator.ResolvePolicyFiles"/>).</summary>
        public IReadOnlyList<string> GetPolicyFiles(MozillaApplication application)
        {
            IReadOnlyList<MozillaInstall> installs = Installs.Find(application);
            foreach (MozillaInstall install in installs)
            {
                _logger.LogDebug("{Application} installation: {Directory} ({Packaging}).", application, install.Directory, install.Packaging);
            }

            return MozillaInstallLocator.ResolvePolicyFiles(Installs.SystemPolicyFile(application), installs, Environment.FileExists);
        }

        public ModuleResult[] GetFromPolicyFile(MozillaApplication application, string file, Func<string?, bool>? nameFilter = null)
        {
            try
            {
                if (!Environment.FileExists(file))
                {
                    return Array.Empty<ModuleResult>();
                }

                SecurityDevicesPolicy policy = PoliciesJson.Read(ReadPolicyFile(file), file);
                return policy.EffectiveDevices
                    .Where(d => nameFilter is null || nameFilter(d.Key))
                    .Select(d => new ModuleResult(PolicyModule(application, file, null, d.Key, d.Value, CryptoModuleStatus.Present)))
                    .ToArray();
            }
            catch (EkengException e)
            {
                return new[] { new ModuleResult(null, e) };
            }
        }

        public ModuleResult SetInPolicyFile(MozillaApplication application, string file, CryptoModuleSpec spec, ShouldWrite shouldWrite) =>
            EditPolicyFile(application, file, spec.Name, spec.Library, p => p.Set(spec.Name, spec.Library, Paths), shouldWrite, "Add SecurityDevices policy", createIfMissing: true);

        public ModuleResult RemoveFromPolicyFile(MozillaApplication application, string file, string name, string? library, ShouldWrite shouldWrite) =>
            EditPolicyFile(application, file, name, library ?? string.Empty, p => p.Remove(name, library, Paths), shouldWrite, "Remove SecurityDevices policy", createIfMissing: false);

        public ModuleResult TestPolicyFile(MozillaApplication application, string file, CryptoModuleSpec spec)
        {
            try
            {
                byte[]? content = Environment.FileExists(file) ? ReadPolicyFile(file) : null;
                (PolicyEdit edit, _) = PoliciesJson.Edit(content, file, p => p.Set(spec.Name, spec.Library, Paths));
                bool present = edit.Status == CryptoModuleStatus.AlreadyPresent;
                return new ModuleResult(PolicyModule(application, file, null, edit.Name, edit.Library, present ? CryptoModuleStatus.Present : CryptoModuleStatus.NotPresent, edit.Message));
            }
            catch (EkengException e)
            {
                return new ModuleResult(PolicyModule(application, file, null, spec.Name, spec.Library, CryptoModuleStatus.Skipped, e.Message), e);
            }
        }

        private ModuleResult EditPolicyFile(MozillaApplication application, string file, string name, string library, Func<SecurityDevicesPolicy, PolicyEdit> edit, ShouldWrite shouldWrite, string action, bool createIfMissing)
        {
            // One run at a time edits this folder's policies.json (when the folder exists; a new one is created below).
            FolderLock? folderLock = null;
            try
            {
                string? folder = Path.GetDirectoryName(file);
                if (folder != null && Directory.Exists(folder))
                {
                    folderLock = FolderLock.Acquire(file);
                }

                bool exists = Environment.FileExists(file);
                if (!exists && !createIfMissing)
                {
                    return new ModuleResult(PolicyModule(application, file, null, name, library, CryptoModuleStatus.NotPresent, "No policies.json here."));
                }

                byte[]? content = exists ? ReadPolicyFile(file) : null;
                (PolicyEdit result, byte[]? updated) = PoliciesJson.Edit(content, file, edit);
                if (updated is null)
                {
                    return new ModuleResult(PolicyModule(application, file, null, result.Name, result.Library, result.Status, result.Message));
                }

                if (!shouldWrite(file, $"{action} '{result.Name}' ({result.Library})"))
                {
                    return new ModuleResult(null);
                }

                string? directory = Path.GetDirectoryName(file);
                if (directory != null && !Directory.Exists(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                // A new policies.json is 0644 whatever the umask (every user's Firefox reads it), owned by the folder's owner.
                string? backup = AtomicFile.Write(file, updated, AtomicFile.WorldReadableMode);
                _logger.LogInformation("{File}: {Status} '{Name}'{Backup}.", file, result.Status, result.Name, backup is null ? " (new file)" : $" (previous content in {backup})");
                return new ModuleResult(PolicyModule(application, file, null, result.Name, result.Library, result.Status, result.Message));
            }
            catch (EkengException e)
            {
                return new ModuleResult(PolicyModule(application, file, null, name, library, CryptoModuleStatus.Skipped, e.Message), e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var failed = new EkengException("PolicyWriteFailed", e is UnauthorizedAccessException ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError,
                    $"Cannot write '{file}': {e.Message} The file was left as it was.", e);
                failed.RecommendedAction = "Machine-wide policies need root (Linux, macOS) or an elevated Administrator session (Windows).";
                failed.TargetObject = file;
                return new ModuleResult(PolicyModule(application, file, null, name, library, CryptoModuleStatus.Skipped, failed.Message), failed);
            }
            finally
            {
                folderLock?.Dispose();
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
                var error = new EkengException("PolicyJsonUnreadable", EkengErrorKind.ReadError, $"Cannot read '{file}': {e.Message}", e);
                error.TargetObject = file;
                throw error;
            }
        }

        // ---- policy: Windows registry ----

        public ModuleResult[] GetFromRegistry(MozillaApplication application, IRegistryPolicyStore store, Func<string?, bool>? nameFilter = null)
        {
            var writer = new RegistryPolicyWriter(store, application, Paths);
            try
            {
                return writer.Read().EffectiveDevices
                    .Where(d => nameFilter is null || nameFilter(d.Key))
                    .Select(d => new ModuleResult(PolicyModule(application, null, writer.DisplayAddKey, d.Key, d.Value, CryptoModuleStatus.Present)))
                    .ToArray();
            }
            catch (Win32Exception e)
            {
                return new[] { new ModuleResult(null, RegistryError(writer, e)) };
            }
        }

        public ModuleResult SetInRegistry(MozillaApplication application, IRegistryPolicyStore store, CryptoModuleSpec spec, ShouldWrite shouldWrite) =>
            EditRegistry(application, store, spec.Name, spec.Library, (w, ask) => w.Set(spec.Name, spec.Library, ask), shouldWrite, "Add SecurityDevices policy");

        public ModuleResult RemoveFromRegistry(MozillaApplication application, IRegistryPolicyStore store, string name, string? library, ShouldWrite shouldWrite) =>
            EditRegistry(application, store, name, library ?? string.Empty, (w, ask) => w.Remove(name, library, ask), shouldWrite, "Remove SecurityDevices policy");

        public ModuleResult TestRegistry(MozillaApplication application, IRegistryPolicyStore store, CryptoModuleSpec spec)
        {
            var writer = new RegistryPolicyWriter(store, application, Paths);
            try
            {
                PolicyEdit edit = writer.Set(spec.Name, spec.Library, () => false);
                bool present = edit.Status == CryptoModuleStatus.AlreadyPresent;
                return new ModuleResult(PolicyModule(application, null, writer.DisplayAddKey, edit.Name, edit.Library, present ? CryptoModuleStatus.Present : CryptoModuleStatus.NotPresent, edit.Message));
            }
            catch (Win32Exception e)
            {
                EkengException error = RegistryError(writer, e);
                return new ModuleResult(PolicyModule(application, null, writer.DisplayAddKey, spec.Name, spec.Library, CryptoModuleStatus.Skipped, error.Message), error);
            }
        }

        private ModuleResult EditRegistry(MozillaApplication application, IRegistryPolicyStore store, string name, string library, Func<RegistryPolicyWriter, Func<bool>, PolicyEdit> edit, ShouldWrite shouldWrite, string action)
        {
            var writer = new RegistryPolicyWriter(store, application, Paths);
            bool declined = false;
            try
            {
                PolicyEdit result = edit(writer, () =>
                {
                    declined = !shouldWrite(writer.DisplayAddKey, $"{action} '{name}'");
                    return !declined;
                });
                if (declined)
                {
                    return new ModuleResult(null);
                }

                return new ModuleResult(PolicyModule(application, null, writer.DisplayAddKey, result.Name, result.Library, result.Status, result.Message));
            }
            catch (Win32Exception e)
            {
                EkengException error = RegistryError(writer, e);
                return new ModuleResult(PolicyModule(application, null, writer.DisplayAddKey, name, library, CryptoModuleStatus.Skipped, error.Message), error);
            }
        }

        private static EkengException RegistryError(RegistryPolicyWriter writer, Win32Exception e)
        {
            var error = new EkengException("RegistryPolicyWriteFailed", e.NativeErrorCode == 5 ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError, e.Message, e);
            error.RecommendedAction = "HKLM policies need an elevated (Administrator) session; use -RegistryHive CurrentUser for the current user only.";
            error.TargetObject = writer.DisplayAddKey;
            return error;
        }

        private static FirefoxCryptoModule PolicyModule(MozillaApplication application, string? file, string? registryKey, string? name, string? library, CryptoModuleStatus status, string? message = null) =>
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
