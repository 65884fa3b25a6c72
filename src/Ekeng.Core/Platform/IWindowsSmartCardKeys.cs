using System.Security.Cryptography.X509Certificates;

namespace Ekeng.Platform
{
    /// <summary>
    /// The Windows calls that hand a smart card's PIN to its key without the middleware's PIN window
    /// (<see cref="WindowsSmartCardKeys"/>); an interface so that the rules around them are tested off Windows.
    /// </summary>
    public interface IWindowsSmartCardKeys
    {
        /// <summary>The certificate's CRYPT_KEY_PROV_INFO, or null when it names no key.</summary>
        WindowsKeyProvInfo? GetKeyProvInfo(X509Certificate2 certificate);

        /// <summary>
        /// Opens the key silently and gives it the PIN (CNG: NCRYPT_PIN_PROPERTY, UTF-16 with its NUL; CSP:
        /// PP_KEYEXCHANGE_PIN or PP_SIGNATURE_PIN, ASCII with its NUL). Returns the Windows status (0 = accepted) and,
        /// when accepted, the opened key's handle.
        /// </summary>
        int OpenWithPin(WindowsKeyProvInfo key, byte[] pin, out IntPtr handle);

        /// <summary>Attaches the opened key to the certificate's context, so that Schannel signs with it instead of opening the key again.</summary>
        int Attach(X509Certificate2 certificate, WindowsKeyProvInfo key, IntPtr handle);

        /// <summary>Releases a handle <see cref="OpenWithPin"/> returned and <see cref="Attach"/> did not take.</summary>
        void Release(WindowsKeyProvInfo key, IntPtr handle);
    }
}
