using Net.Pkcs11Interop.HighLevelAPI;

namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Opens PKCS#11 libraries through Pkcs11Interop: each library is initialised once per process
    /// (<see cref="Pkcs11LibraryRegistry"/>) and never finalised; a module handle only borrows it.
    /// </summary>
    internal sealed class InteropModuleLoader : IPkcs11ModuleLoader
    {
        private readonly ILogger _logger;

        public InteropModuleLoader(ILogger? logger = null)
        {
            _logger = logger ?? NullLogger.Instance;
        }

        public IPkcs11Module Open(string path)
        {
            IPkcs11Library library = Pkcs11LibraryRegistry.Get(path, _logger);
            return new InteropPkcs11Module(Pkcs11LibraryRegistry.Key(path), library, _logger);
        }
    }
}
