using Ekeng.Firefox;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// What Set- and Test-FirefoxCryptoModule share: the device name and the library that make one module, the library
    /// by default the one Get-EkengCard uses, %VARIABLES% expanded (or refused with UnexpandedLibraryPath).
    /// </summary>
    public abstract class FirefoxModuleCmdletBase : FirefoxCmdletBase
    {
        /// <summary>The security device name Firefox shows.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = CryptoModuleSpec.DefaultName;

        /// <summary>
        /// The PKCS#11 library; by default the one Get-EkengCard uses (EKENG_PKCS11_MODULE, CryptoCard Suite, OpenSC).
        /// Bound from a card's Pkcs11Module: Get-EkengCard | Set-FirefoxCryptoModule registers the library that read it.
        /// </summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Library", "Pkcs11Module")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The library of this record, expanded; the default one when -Path is not given.</summary>
        protected string ResolveLibrary() => LibraryArgument(Path ?? DefaultLibrary(), Path != null);
    }
}
