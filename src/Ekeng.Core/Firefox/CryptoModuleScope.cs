namespace Ekeng.Firefox
{
    /// <summary>Where a module is registered: in each profile's pkcs11.txt, or machine-wide by enterprise policy.</summary>
    public enum CryptoModuleScope
    {
        Profile,
        Policy,
    }
}
