namespace Ekeng.Platform
{
    /// <summary>
    /// Where Windows keeps a certificate's private key (CRYPT_KEY_PROV_INFO): a CNG key storage provider when
    /// <see cref="ProviderType"/> is 0, else a CryptoAPI CSP of that type (the card middleware's CSP).
    /// </summary>
    public sealed class WindowsKeyProvInfo
    {
        public const int AtKeyExchange = 1;
        public const int AtSignature = 2;

        public WindowsKeyProvInfo(string containerName, string providerName, int providerType, int keySpec)
        {
            ContainerName = containerName;
            ProviderName = providerName;
            ProviderType = providerType;
            KeySpec = keySpec;
        }

        public string ContainerName { get; }

        public string ProviderName { get; }

        /// <summary>0 for CNG (a KSP), else the CSP's type (PROV_RSA_FULL = 1, ...).</summary>
        public int ProviderType { get; }

        /// <summary>AT_KEYEXCHANGE (1) or AT_SIGNATURE (2) for a CSP; a CNG key's legacy spec otherwise.</summary>
        public int KeySpec { get; }

        public bool IsCng => ProviderType == 0;
    }
}
