using System.ComponentModel;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Firefox
{
    /// <summary>The Windows registry's Firefox policy key of one hive as a target.</summary>
    public sealed class RegistryPolicyModuleTarget : ICryptoModuleTarget
    {
        private readonly CryptoModuleService _service;

        public RegistryPolicyModuleTarget(CryptoModuleService service, MozillaApplication application, IRegistryPolicyStore store)
        {
            _service = service;
            Application = application;
            Store = store;
        }

        public MozillaApplication Application { get; }

        public IRegistryPolicyStore Store { get; }

        public string Description => Store.HiveName + @"\Software\Policies\Mozilla\" + Application;

        public ModuleResult[] Get(Func<string?, bool>? nameFilter = null)
        {
            var writer = new RegistryPolicyWriter(Store, Application, _service.Paths);
            try
            {
                return writer.Read().EffectiveDevices
                    .Where(d => nameFilter is null || nameFilter(d.Key))
                    .Select(d => new ModuleResult(PolicyFileModuleTarget.PolicyModule(Application, null, writer.DisplayAddKey, d.Key, d.Value, CryptoModuleStatus.Present)))
                    .ToArray();
            }
            catch (Win32Exception e)
            {
                return new[] { new ModuleResult(null, RegistryError(writer, e)) };
            }
        }

        public ModuleResult Set(CryptoModuleSpec spec, Confirmation shouldWrite) =>
            EditRegistry(spec.Name, spec.Library, (w, ask) => w.Set(spec.Name, spec.Library, ask), shouldWrite, "Add SecurityDevices policy");

        public ModuleResult Remove(string name, string? library, Confirmation shouldWrite) =>
            EditRegistry(name, library ?? string.Empty, (w, ask) => w.Remove(name, library, ask), shouldWrite, "Remove SecurityDevices policy");

        public ModuleResult Test(CryptoModuleSpec spec)
        {
            var writer = new RegistryPolicyWriter(Store, Application, _service.Paths);
            try
            {
                PolicyEdit edit = writer.Set(spec.Name, spec.Library, () => false);
                bool present = edit.Status == CryptoModuleStatus.AlreadyPresent;
                return new ModuleResult(PolicyFileModuleTarget.PolicyModule(Application, null, writer.DisplayAddKey, edit.Name, edit.Library, present ? CryptoModuleStatus.Present : CryptoModuleStatus.NotPresent, edit.Message));
            }
            catch (Win32Exception e)
            {
                EkengException error = RegistryError(writer, e);
                return new ModuleResult(PolicyFileModuleTarget.PolicyModule(Application, null, writer.DisplayAddKey, spec.Name, spec.Library, CryptoModuleStatus.Skipped, error.Message), error);
            }
        }

        private ModuleResult EditRegistry(string name, string library, Func<RegistryPolicyWriter, Func<bool>, PolicyEdit> edit, Confirmation shouldWrite, string action)
        {
            var writer = new RegistryPolicyWriter(Store, Application, _service.Paths);
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

                return new ModuleResult(PolicyFileModuleTarget.PolicyModule(Application, null, writer.DisplayAddKey, result.Name, result.Library, result.Status, result.Message));
            }
            catch (Win32Exception e)
            {
                EkengException error = RegistryError(writer, e);
                return new ModuleResult(PolicyFileModuleTarget.PolicyModule(Application, null, writer.DisplayAddKey, name, library, CryptoModuleStatus.Skipped, error.Message), error);
            }
        }

        private static EkengException RegistryError(RegistryPolicyWriter writer, Win32Exception e)
        {
            var error = new EkengException(BrowserErrors.RegistryPolicyWriteFailed, e.NativeErrorCode == 5 ? EkengErrorKind.PermissionDenied : EkengErrorKind.WriteError, e.Message, e)
            {
                TargetObject = writer.DisplayAddKey,
            };
            return error;
        }
    }
}
