using Ekeng.Diagnostics;

namespace Ekeng.Firefox
{
    /// <summary>
    /// One place a PKCS#11 module is registered: a profile's pkcs11.txt, a policies.json, or the Windows registry's
    /// policy key. The cmdlets act on targets without knowing which kind they hold.
    /// </summary>
    public interface ICryptoModuleTarget
    {
        MozillaApplication Application { get; }

        /// <summary>The profile folder, policy file or registry key: for progress and messages.</summary>
        string Description { get; }

        /// <summary>The security devices registered here, optionally only those whose name matches.</summary>
        ModuleResult[] Get(Func<string?, bool>? nameFilter = null);

        /// <summary>Registers the module (Added, Updated, AlreadyPresent), asking <paramref name="shouldWrite"/> before a write.</summary>
        ModuleResult Set(CryptoModuleSpec spec, Confirmation shouldWrite);

        /// <summary>Removes the modules named <paramref name="name"/>, and those of <paramref name="library"/> when given.</summary>
        ModuleResult Remove(string name, string? library, Confirmation shouldWrite);

        /// <summary>Present when Set would find the module already there; NotPresent otherwise; Skipped with an error when unreadable.</summary>
        ModuleResult Test(CryptoModuleSpec spec);
    }
}
