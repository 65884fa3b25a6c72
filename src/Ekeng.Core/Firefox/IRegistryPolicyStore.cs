namespace Ekeng.Firefox
{
    /// <summary>
    /// The registry operations the policy writer needs, on one hive. The real one is <see cref="WindowsRegistryPolicyStore"/>;
    /// tests use an in-memory one, so that the writer's logic is tested on every OS.
    /// </summary>
    public interface IRegistryPolicyStore
    {
        /// <summary>"HKLM" or "HKCU", for messages and output.</summary>
        string HiveName { get; }

        /// <summary>The string values (REG_SZ, REG_EXPAND_SZ) of a key in enumeration order, or null when the key does not exist.</summary>
        IReadOnlyList<KeyValuePair<string, string>>? ReadValues(string subKey);

        /// <summary>Sets a REG_SZ value, creating the key when needed.</summary>
        void SetString(string subKey, string name, string value);

        void DeleteValue(string subKey, string name);
    }
}
