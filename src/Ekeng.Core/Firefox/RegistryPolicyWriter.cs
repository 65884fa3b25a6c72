namespace Ekeng.Firefox
{
    /// <summary>
    /// Writes the SecurityDevices policy as Group Policy (Mozilla's ADMX) and Intune write it:
    /// Software\Policies\Mozilla\&lt;App&gt;\SecurityDevices\Add with one value per device (name = path) and
    /// ...\SecurityDevices\Delete with values "1", "2"... holding names. Firefox takes a key whose first value is named
    /// "1" for an array (WindowsGPOParser), so Delete is always rewritten as 1..N in order.
    /// </summary>
    public sealed class RegistryPolicyWriter
    {
        private readonly IRegistryPolicyStore _store;
        private readonly LibraryPaths _paths;

        public RegistryPolicyWriter(IRegistryPolicyStore store, MozillaApplication application, LibraryPaths paths)
        {
            _store = store;
            _paths = paths;
            BaseKey = @"Software\Policies\Mozilla\" + application + @"\SecurityDevices";
        }

        public string BaseKey { get; }

        public string AddKey => BaseKey + @"\Add";

        public string DeleteKey => BaseKey + @"\Delete";

        /// <summary>The key shown in output, e.g. HKLM\Software\Policies\Mozilla\Firefox\SecurityDevices\Add.</summary>
        public string DisplayAddKey => _store.HiveName + "\\" + AddKey;

        public SecurityDevicesPolicy Read()
        {
            IReadOnlyList<KeyValuePair<string, string>>? add = _store.ReadValues(AddKey);
            IReadOnlyList<KeyValuePair<string, string>>? delete = _store.ReadValues(DeleteKey);
            IReadOnlyList<KeyValuePair<string, string>> flat = _store.ReadValues(BaseKey) ?? Array.Empty<KeyValuePair<string, string>>();
            return new SecurityDevicesPolicy(
                add ?? Array.Empty<KeyValuePair<string, string>>(),
                (delete ?? Array.Empty<KeyValuePair<string, string>>()).Select(v => v.Value),
                flat,
                add != null || delete != null);
        }

        /// <summary>Applies an edit; <paramref name="shouldWrite"/> is asked before anything is written.</summary>
        public PolicyEdit Edit(Func<SecurityDevicesPolicy, PolicyEdit> edit, Func<bool> shouldWrite)
        {
            SecurityDevicesPolicy before = Read();
            var oldAdd = before.Add.ToList();
            var oldDelete = before.Delete.ToList();
            PolicyEdit result = edit(before);
            if (!result.Changed || !shouldWrite())
            {
                return result;
            }

            // Add: set new or changed values, remove the ones taken out.
            foreach (KeyValuePair<string, string> device in before.Add)
            {
                if (!oldAdd.Any(o => o.Key == device.Key && o.Value == device.Value) || before.MigratedFlat)
                {
                    _store.SetString(AddKey, device.Key, device.Value);
                }
            }

            foreach (KeyValuePair<string, string> gone in oldAdd.Where(o => !before.Add.Any(d => d.Key == o.Key)))
            {
                if (before.MigratedFlat && before.Flat.Any(f => f.Key == gone.Key))
                {
                    continue;
                }

                _store.DeleteValue(AddKey, gone.Key);
            }

            if (before.MigratedFlat)
            {
                foreach (KeyValuePair<string, string> flat in before.Flat)
                {
                    _store.DeleteValue(BaseKey, flat.Key);
                }
            }

            if (!oldDelete.SequenceEqual(before.Delete, StringComparer.Ordinal))
            {
                foreach (KeyValuePair<string, string> value in _store.ReadValues(DeleteKey) ?? Array.Empty<KeyValuePair<string, string>>())
                {
                    _store.DeleteValue(DeleteKey, value.Key);
                }

                for (int i = 0; i < before.Delete.Count; i++)
                {
                    _store.SetString(DeleteKey, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), before.Delete[i]);
                }
            }

            return result;
        }

        public PolicyEdit Set(string name, string library, Func<bool> shouldWrite) => Edit(p => p.Set(name, library, _paths), shouldWrite);

        public PolicyEdit Remove(string name, string? library, Func<bool> shouldWrite) => Edit(p => p.Remove(name, library, _paths), shouldWrite);
    }
}
