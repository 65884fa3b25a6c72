namespace Ekeng.Firefox
{
    /// <summary>The Mozilla applications whose NSS profiles can carry a PKCS#11 module.</summary>
    public enum MozillaApplication
    {
        Firefox,
        Thunderbird,
    }
}
