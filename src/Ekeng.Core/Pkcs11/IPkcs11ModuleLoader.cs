namespace Ekeng.Pkcs11
{
    /// <summary>
    /// Opens a PKCS#11 library: the first use in the process initialises it (C_Initialize), for the life of the
    /// process; disposing a module closes its sessions, never the library (docs/ARCHITECTURE.md#pkcs11-one-library-per-process).
    /// </summary>
    internal interface IPkcs11ModuleLoader
    {
        IPkcs11Module Open(string path);
    }
}
