namespace Ekeng.Platform
{
    /// <summary>
    /// Watches the steps of one <see cref="AtomicFile"/> write on Linux and macOS (tests play a racing attacker through
    /// it); production writes pass none.
    /// </summary>
    internal interface IAtomicWriteObserver
    {
        /// <summary>Called with the temporary file's path right after it was created (O_EXCL), before anything is written.</summary>
        void TemporaryCreated(string path);

        /// <summary>Called with the temporary file's path after it was checked and right before it is renamed (or linked) into place.</summary>
        void BeforeRename(string path);
    }
}
