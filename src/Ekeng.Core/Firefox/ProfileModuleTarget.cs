using System.ComponentModel;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>A profile's pkcs11.txt as a target: read, planned in memory, written atomically under the folder lock.</summary>
    public sealed class ProfileModuleTarget : ICryptoModuleTarget
    {
        private readonly CryptoModuleService _service;

        public ProfileModuleTarget(CryptoModuleService service, MozillaProfile profile)
        {
            _service = service;
            Profile = profile;
        }

        public MozillaProfile Profile { get; }

        public MozillaApplication Application => Profile.Application;

        public string Description => Profile.Path;

        /// <summary>The security devices of a profile (not NSS's internal module), optionally only those whose name matches.</summary>
        public ModuleResult[] Get(Func<string?, bool>? nameFilter = null)
        {
            Pkcs11Txt txt;
            try
            {
                txt = ReadPkcs11Txt();
            }
            catch (EkengException e)
            {
                return new[] { new ModuleResult(null, e) };
            }

            return txt.ExternalModules
                .Where(m => nameFilter is null || nameFilter(m.Name))
                .Select(m => new ModuleResult(ProfileModule(m.Name, m.Library, CryptoModuleStatus.Present)))
                .ToArray();
        }

        /// <summary>Registers the module in a profile's pkcs11.txt (see <see cref="PlanSet"/>).</summary>
        public ModuleResult Set(CryptoModuleSpec spec, Confirmation shouldWrite)
        {
            return EditProfile(spec.Name, spec.Library, txt => PlanSet(txt, spec), shouldWrite, "Add PKCS#11 module");
        }

        /// <summary>Removes the modules named <paramref name="name"/>, and those of <paramref name="library"/> when given.</summary>
        public ModuleResult Remove(string name, string? library, Confirmation shouldWrite)
        {
            return EditProfile(name, library ?? string.Empty, txt => PlanRemove(txt, name, library), shouldWrite, "Remove PKCS#11 module");
        }

        /// <summary>True when Set would find the module already there (its library registered, not under a stale path).</summary>
        public ModuleResult Test(CryptoModuleSpec spec)
        {
            try
            {
                Pkcs11Txt txt = ReadPkcs11Txt();
                PolicyEdit plan = PlanSet(txt, spec);
                return new ModuleResult(ProfileModule(plan.Name, plan.Library, plan.Status == CryptoModuleStatus.AlreadyPresent ? CryptoModuleStatus.Present : CryptoModuleStatus.NotPresent, plan.Message));
            }
            catch (EkengException e)
            {
                return new ModuleResult(ProfileModule(spec.Name, spec.Library, CryptoModuleStatus.Skipped, e.Message), e);
            }
        }

        private ModuleResult EditProfile(string name, string library, Func<Pkcs11Txt, PolicyEdit> plan, Confirmation shouldWrite, string action)
        {
            string file = _service.Pkcs11TxtPath(Profile);
            if (!_service.Environment.DirectoryExists(Profile.Path))
            {
                var missing = new EkengException(BrowserErrors.ProfileNotFound, $"The profile folder '{Profile.Path}' does not exist.")
                {
                    TargetObject = Profile.Path,
                };
                return new ModuleResult(ProfileModule(name, library, CryptoModuleStatus.Skipped, missing.Message), missing);
            }

            // The profile folder is resolved ONCE (no link into a folder its owner could not write); the lock, the read
            // and the write below all work on that one handle, so a folder swapped meanwhile is never written.
            SafeFolder folder;
            try
            {
                folder = SafeFolder.Open(Profile.Path);
            }
            catch (Exception e) when (IsEditFailure(e))
            {
                return Skipped(file, name, library, e);
            }

            using (folder)
            {
                // One run at a time edits this profile's files: another run's update is read, never overwritten.
                FolderLock folderLock;
                try
                {
                    folderLock = folder.Lock();
                }
                catch (Exception e) when (IsEditFailure(e))
                {
                    return Skipped(file, name, library, e);
                }

                using (folderLock)
                {
                    return EditProfileLocked(folder, file, name, library, plan, shouldWrite, action);
                }
            }
        }

        private ModuleResult EditProfileLocked(SafeFolder folder, string file, string name, string library, Func<Pkcs11Txt, PolicyEdit> plan, Confirmation shouldWrite, string action)
        {
            Pkcs11Txt txt;
            try
            {
                txt = ReadPkcs11Txt(folder);
            }
            catch (EkengException e)
            {
                return new ModuleResult(ProfileModule(name, library, CryptoModuleStatus.Skipped, e.Message), e);
            }

            PolicyEdit p = plan(txt);
            if (!p.Changed)
            {
                _service.Logger.LogInformation("{Profile}: {Status}, nothing written.", Profile.Path, p.Status);
                return new ModuleResult(ProfileModule(p.Name, p.Library, p.Status, p.Message));
            }

            ProfileLockState state = _service.Locks.Check(Profile.Path);
            if (state.IsRunning)
            {
                var running = new EkengException(BrowserErrors.FirefoxRunning, $"{Profile.Application} is running on profile '{Profile.Name}' ({state.Description}); its pkcs11.txt was not changed.")
                {
                    RecommendedAction = $"Close {Profile.Application} and run the command again, or register the module machine-wide with -Scope Policy: {Profile.Application} applies the policy at its next start.",
                    TargetObject = Profile.Path,
                };
                return new ModuleResult(ProfileModule(name, library, CryptoModuleStatus.Skipped, running.Message), running);
            }

            _service.Logger.LogDebug("{Profile}: lock check: {State}.", Profile.Path, state.Description);
            if (!shouldWrite(file, $"{action} '{p.Name}' ({p.Library})"))
            {
                return new ModuleResult(null);
            }

            try
            {
                // A new pkcs11.txt is 0600 as NSS makes it, owned by the profile folder's owner; an existing one keeps its owner and mode.
                string? backup = folder.Write(Path.GetFileName(file), txt.ToBytes(), AtomicFile.PrivateMode, _service.ProfileWrites);
                _service.Logger.LogInformation("{File}: {Status} '{Name}'{Backup}.", file, p.Status, p.Name, backup is null ? string.Empty : $" (previous content in {backup})");
            }
            catch (Exception e) when (IsEditFailure(e))
            {
                return Skipped(file, name, library, e);
            }

            return new ModuleResult(ProfileModule(p.Name, p.Library, p.Status, p.Message));
        }

        /// <summary>What makes a step of an edit (opening the folder, its lock, the write) leave the module Skipped.</summary>
        private static bool IsEditFailure(Exception e) => e is EkengException || e is IOException || e is UnauthorizedAccessException;

        /// <summary>The module Skipped by a failed step, with the reason; an I/O failure is Pkcs11TxtWriteFailed (the file was left as it was).</summary>
        private ModuleResult Skipped(string file, string name, string library, Exception e)
        {
            EkengException error = e as EkengException ?? WriteFailed(file, e);
            return new ModuleResult(ProfileModule(name, library, CryptoModuleStatus.Skipped, error.Message), error);
        }

        private static EkengException WriteFailed(string file, Exception e)
        {
            var failed = new EkengException(BrowserErrors.Pkcs11TxtWriteFailed, e is UnauthorizedAccessException ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError,
                $"Cannot write '{file}': {e.Message} The file was left as it was.", e)
            {
                TargetObject = file,
            };
            return failed;
        }

        /// <summary>pkcs11.txt of the profile, read through the profile's <see cref="SafeFolder"/> (one is opened for Get/Test).</summary>
        private Pkcs11Txt ReadPkcs11Txt(SafeFolder? folder = null)
        {
            string file = _service.Pkcs11TxtPath(Profile);
            string newLine = _service.Environment.Platform == OsPlatform.Windows ? "\r\n" : "\n";
            byte[] content;
            try
            {
                if (folder != null)
                {
                    content = folder.ReadAllBytes(Path.GetFileName(file));
                }
                else
                {
                    using (SafeFolder opened = SafeFolder.Open(Profile.Path))
                    {
                        content = opened.ReadAllBytes(Path.GetFileName(file));
                    }
                }
            }
            catch (FileNotFoundException)
            {
                return Pkcs11Txt.Empty(file, newLine);
            }
            catch (DirectoryNotFoundException)
            {
                return Pkcs11Txt.Empty(file, newLine);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var error = new EkengException(BrowserErrors.Pkcs11TxtUnreadable, $"Cannot read '{file}': {e.Message}", e)
                {
                    TargetObject = file,
                };
                throw error;
            }

            return Pkcs11Txt.Parse(content, file, newLine);
        }

        /// <summary>
        /// Set's decision for one pkcs11.txt, applied to <paramref name="txt"/> in memory: the library already there
        /// (by any name, through any path to the same file) = AlreadyPresent; a module of that name with another
        /// library = Updated (its library= line replaced); otherwise Added (a new block).
        /// </summary>
        private PolicyEdit PlanSet(Pkcs11Txt txt, CryptoModuleSpec spec)
        {
            Pkcs11TxtModule? byLibrary = txt.ExternalModules.FirstOrDefault(m => _service.Paths.AreSame(m.Library, spec.Library));
            if (byLibrary != null)
            {
                string? note = string.Equals(byLibrary.Name, spec.Name, StringComparison.Ordinal) && string.Equals(byLibrary.Library, spec.Library, StringComparison.Ordinal)
                    ? null
                    : $"The library is already registered as '{byLibrary.Name}' ({byLibrary.Library}).";
                return new PolicyEdit(CryptoModuleStatus.AlreadyPresent, byLibrary.Name ?? spec.Name, byLibrary.Library ?? spec.Library, false, note);
            }

            Pkcs11TxtModule? byName = txt.ExternalModules.FirstOrDefault(m => string.Equals(m.Name, spec.Name, StringComparison.Ordinal));
            if (byName != null)
            {
                string? old = byName.Library;
                txt.SetLibrary(byName, spec.Library);
                return new PolicyEdit(CryptoModuleStatus.Updated, spec.Name, spec.Library, true, $"'{spec.Name}' pointed at '{old}'.");
            }

            txt.AddModule(spec.Name, spec.Library);
            return new PolicyEdit(CryptoModuleStatus.Added, spec.Name, spec.Library, true);
        }

        private PolicyEdit PlanRemove(Pkcs11Txt txt, string name, string? library)
        {
            var doomed = txt.ExternalModules
                .Where(m => string.Equals(m.Name, name, StringComparison.Ordinal) || (library != null && _service.Paths.AreSame(m.Library, library)))
                .ToList();
            if (doomed.Count == 0)
            {
                return new PolicyEdit(CryptoModuleStatus.NotPresent, name, library ?? string.Empty, false);
            }

            string names = string.Join("', '", doomed.Select(m => m.Name));
            string shownLibrary = doomed[0].Library ?? library ?? string.Empty;

            // Remove from the end so that earlier line numbers stay valid.
            foreach (Pkcs11TxtModule module in doomed.OrderByDescending(m => m.StartLine))
            {
                Pkcs11TxtModule current = txt.ExternalModules.First(m => m.StartLine == module.StartLine);
                txt.RemoveModule(current);
            }

            return new PolicyEdit(CryptoModuleStatus.Removed, doomed[0].Name ?? name, shownLibrary, true, doomed.Count > 1 ? $"Removed '{names}'." : null);
        }

        private FirefoxCryptoModule ProfileModule(string? name, string? library, CryptoModuleStatus status, string? message = null) =>
            new FirefoxCryptoModule
            {
                Application = Profile.Application,
                Scope = CryptoModuleScope.Profile,
                Profile = Profile.Name,
                ProfilePath = Profile.Path,
                Name = name,
                Library = string.IsNullOrEmpty(library) ? null : library,
                Status = status,
                Message = message,
            };
    }
}
