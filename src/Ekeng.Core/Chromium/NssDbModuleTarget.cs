using Ekeng.Diagnostics;
using Ekeng.Firefox;
using Ekeng.Platform;

namespace Ekeng.Chromium
{
    /// <summary>
    /// Linux: the shared NSS database of Chromium, Chrome and Edge (<c>~/.pki/nssdb</c>) as a module target. Reading,
    /// planning and writing pkcs11.txt are the Firefox profile target's (one folder handle, the folder lock, atomic
    /// write, the owner kept); Set first creates the database when there is none (see <see cref="ChromiumNssDb"/>).
    /// </summary>
    public sealed class NssDbModuleTarget : ICryptoModuleTarget
    {
        private readonly CryptoModuleService _service;
        private readonly ProfileModuleTarget _inner;

        public NssDbModuleTarget(CryptoModuleService service, string folder)
        {
            _service = service;
            _inner = new ProfileModuleTarget(service, ChromiumNssDb.Profile(folder));
        }

        public MozillaApplication Application => MozillaApplication.Chromium;

        public string Description => _inner.Description;

        public string Folder => _inner.Profile.Path;

        public ModuleResult[] Get(Func<string?, bool>? nameFilter = null) => _inner.Get(nameFilter);

        public ModuleResult Set(CryptoModuleSpec spec, Confirmation shouldWrite)
        {
            if (!ChromiumNssDb.Exists(Folder))
            {
                if (!shouldWrite(Folder, "Create the NSS database (as certutil -N --empty-password)"))
                {
                    return new ModuleResult(null);
                }

                try
                {
                    ChromiumNssDb.EnsureCreated(Folder, _service.Logger);
                }
                catch (EkengException e)
                {
                    return Skipped(spec, e);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    var failed = new EkengException(BrowserErrors.NssDatabaseUnavailable, e is UnauthorizedAccessException ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError,
                        $"Cannot create the NSS database in '{Folder}': {e.Message}", e)
                    {
                        RecommendedAction = "Run as the user (or as root), or start Chromium once as the user so that it creates the database.",
                        TargetObject = Folder,
                    };
                    return Skipped(spec, failed);
                }
            }

            return _inner.Set(spec, shouldWrite);
        }

        public ModuleResult Remove(string name, string? library, Confirmation shouldWrite) =>
            Directory.Exists(Folder) ? _inner.Remove(name, library, shouldWrite)
                : new ModuleResult(Module(name, library, CryptoModuleStatus.NotPresent, "There is no NSS database here."));

        public ModuleResult Test(CryptoModuleSpec spec) => _inner.Test(spec);

        private ModuleResult Skipped(CryptoModuleSpec spec, EkengException e) => new ModuleResult(Module(spec.Name, spec.Library, CryptoModuleStatus.Skipped, e.Message), e);

        private FirefoxCryptoModule Module(string? name, string? library, CryptoModuleStatus status, string? message) =>
            new FirefoxCryptoModule
            {
                Application = MozillaApplication.Chromium,
                Scope = CryptoModuleScope.Profile,
                Profile = "nssdb",
                ProfilePath = Folder,
                Name = name,
                Library = string.IsNullOrEmpty(library) ? null : library,
                Status = status,
                Message = message,
            };
    }
}
