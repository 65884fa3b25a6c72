namespace Ekeng.Firefox
{
    /// <summary>
    /// The SecurityDevices policy as Firefox reads it (Policies.sys.mjs): when it has Add or Delete, Delete's names
    /// are removed from every profile and Add's name=path pairs are loaded (skipped when a module already has that
    /// library path); otherwise its own name=path pairs are the devices (the Firefox 64 form). Used by both the
    /// policies.json and the Windows registry writers, so that both merge the same way.
    /// </summary>
    public sealed class SecurityDevicesPolicy
    {
        public SecurityDevicesPolicy(IEnumerable<KeyValuePair<string, string>> add, IEnumerable<string> delete, IEnumerable<KeyValuePair<string, string>> flat, bool hasAddOrDelete)
        {
            Add = add.ToList();
            Delete = delete.ToList();
            Flat = flat.ToList();
            HasAddOrDelete = hasAddOrDelete;
            if (!HasAddOrDelete && Flat.Count > 0)
            {
                // The old flat form is live only while there is no Add/Delete: converting to Add keeps it live.
                Add.AddRange(Flat);
                MigratedFlat = true;
            }
        }

        /// <summary>Add's pairs, in order (with the live flat pairs moved in).</summary>
        public List<KeyValuePair<string, string>> Add { get; }

        public List<string> Delete { get; }

        /// <summary>The flat name=path pairs as found.</summary>
        public List<KeyValuePair<string, string>> Flat { get; }

        public bool HasAddOrDelete { get; }

        /// <summary>True when the flat pairs were moved into Add: the writer then drops them from their old place.</summary>
        public bool MigratedFlat { get; }

        /// <summary>The devices Firefox loads from this policy.</summary>
        public IEnumerable<KeyValuePair<string, string>> EffectiveDevices => Add;

        /// <summary>Registers name=library; see <see cref="CryptoModuleStatus"/> for the outcomes.</summary>
        public PolicyEdit Set(string name, string library, LibraryPaths paths)
        {
            bool deleteChanged = Delete.RemoveAll(n => string.Equals(n, name, StringComparison.Ordinal)) > 0;
            int byName = Add.FindIndex(p => string.Equals(p.Key, name, StringComparison.Ordinal));
            if (byName >= 0)
            {
                if (string.Equals(Add[byName].Value, library, StringComparison.Ordinal))
                {
                    bool changed = deleteChanged || MigratedFlat;
                    return new PolicyEdit(deleteChanged ? CryptoModuleStatus.Updated : CryptoModuleStatus.AlreadyPresent, name, library, changed,
                        deleteChanged ? $"'{name}' was also in SecurityDevices.Delete; it was taken out of it." : null);
                }

                string old = Add[byName].Value;
                Add[byName] = new KeyValuePair<string, string>(name, library);
                return new PolicyEdit(CryptoModuleStatus.Updated, name, library, true, $"'{name}' pointed at '{old}'.");
            }

            int byLibrary = Add.FindIndex(p => paths.AreSame(p.Value, library));
            if (byLibrary >= 0)
            {
                KeyValuePair<string, string> other = Add[byLibrary];
                return new PolicyEdit(deleteChanged ? CryptoModuleStatus.Updated : CryptoModuleStatus.AlreadyPresent, other.Key, other.Value, deleteChanged || MigratedFlat,
                    $"The library is already added by the policy as '{other.Key}'.");
            }

            Add.Add(new KeyValuePair<string, string>(name, library));
            return new PolicyEdit(CryptoModuleStatus.Added, name, library, true);
        }

        /// <summary>
        /// Takes name (and any device of the same library, when given) out of Add and puts the names in Delete, so
        /// that Firefox also removes the module from the profiles that have it: removing an Add alone does not.
        /// </summary>
        public PolicyEdit Remove(string name, string? library, LibraryPaths paths)
        {
            var removed = Add.Where(p => string.Equals(p.Key, name, StringComparison.Ordinal) || (library != null && paths.AreSame(p.Value, library))).ToList();
            Add.RemoveAll(p => removed.Contains(p));
            bool changed = removed.Count > 0 || MigratedFlat;
            foreach (string n in new[] { name }.Concat(removed.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
            {
                if (!Delete.Contains(n, StringComparer.Ordinal))
                {
                    Delete.Add(n);
                    changed = true;
                }
            }

            string shownLibrary = removed.Select(p => p.Value).FirstOrDefault() ?? library ?? string.Empty;
            string names = string.Join("', '", removed.Select(p => p.Key).DefaultIfEmpty(name).Distinct());
            return new PolicyEdit(changed ? CryptoModuleStatus.Removed : CryptoModuleStatus.NotPresent, name, shownLibrary, changed,
                changed ? $"'{names}' in SecurityDevices.Delete: Firefox removes it from each profile at its next start." : null);
        }
    }
}
