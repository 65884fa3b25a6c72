namespace Ekeng.Firefox
{
    /// <summary>What happened to (or was found in) one target.</summary>
    public enum CryptoModuleStatus
    {
        /// <summary>Get: the module is registered there.</summary>
        Present,
        /// <summary>Set: the module was added.</summary>
        Added,
        /// <summary>Set: the library was already registered (maybe under another name); nothing was written.</summary>
        AlreadyPresent,
        /// <summary>Set: an entry of that name pointed at another library, or the policy also deleted it; it was corrected.</summary>
        Updated,
        /// <summary>Remove: the module was removed.</summary>
        Removed,
        /// <summary>Remove/Test: the module is not registered there; nothing was written.</summary>
        NotPresent,
        /// <summary>The target was left alone (Firefox running on it, a corrupt file): see the error record.</summary>
        Skipped,
    }
}
