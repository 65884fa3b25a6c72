namespace Ekeng.Firefox
{
    /// <summary>
    /// The applications whose NSS databases can carry a PKCS#11 module: Firefox and Thunderbird (each profile), and on
    /// Linux Chromium, Chrome and Edge, which share one NSS database per user (<c>~/.pki/nssdb</c>, same pkcs11.txt).
    /// </summary>
    public enum MozillaApplication
    {
        Firefox,
        Thunderbird,

        /// <summary>Linux: Chromium, Google Chrome and Microsoft Edge (the user's shared NSS database, ~/.pki/nssdb).</summary>
        Chromium,
    }
}
