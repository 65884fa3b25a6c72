using System.Security.Cryptography.X509Certificates;
using Ekeng.Diagnostics;
using Ekeng.Platform;
using Ekeng.Security;
using Ekeng.Pkcs11;

namespace Ekeng.Http
{
    /// <summary>
    /// Windows: gives the AuthPIN the command already has to the card's key in the certificate store, so that the
    /// TLS login signs without the middleware's own PIN window (one PIN, asked once, or none in an unattended script).
    /// The PIN is checked by the card when it is set: a wrong one is PinIncorrect before any connection is made.
    /// </summary>
    public sealed class SmartCardPinBinder
    {
        // SCARD_W_WRONG_CHV, SCARD_W_CHV_BLOCKED, and the CNG/NTE twins the smart-card KSP returns.
        private const int ScardWrongChv = unchecked((int)0x8010006B);
        private const int ScardChvBlocked = unchecked((int)0x8010006C);
        private const int NteIncorrectPassword = unchecked((int)0x80090024);
        private const int ScardWCancelledByUser = unchecked((int)0x8010006E);
        private const int ScardECancelled = unchecked((int)0x80100002);
        private const int NteSilentContext = unchecked((int)0x80090022);

        private readonly IWindowsSmartCardKeys _keys;

        public SmartCardPinBinder(IWindowsSmartCardKeys keys)
        {
            _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        }

        /// <summary>Opens the certificate's key with <paramref name="pin"/> and attaches it to the certificate.</summary>
        public void Bind(X509Certificate2 certificate, SecureString pin)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            if (pin is null)
            {
                throw new ArgumentNullException(nameof(pin));
            }

            WindowsKeyProvInfo key = _keys.GetKeyProvInfo(certificate) ?? throw new EkengException(ServiceErrors.ClientCertificateNotInStore, $@"The card's authentication certificate ({certificate.Thumbprint}) in CurrentUser\My names no key.")
            {
                RecommendedAction = "Remove the card and insert it again, so that the system copies its certificates with their keys.",
                TargetObject = certificate.Thumbprint,
            };

            int status = 0;
            IntPtr handle = IntPtr.Zero;
            pin.UseChars(chars =>
            {
                byte[] buffer = PinBytes(chars, key.IsCng);
                try
                {
                    status = _keys.OpenWithPin(key, buffer, out handle);
                }
                finally
                {
                    Array.Clear(buffer, 0, buffer.Length);
                }

                return 0;
            });

            if (status != 0)
            {
                throw Failure(status, key);
            }

            int attached = _keys.Attach(certificate, key, handle);
            if (attached != 0)
            {
                _keys.Release(key, handle);
                throw new EkengException(ServiceErrors.ClientCertificateKeyUnavailable, $"The card's key (provider '{key.ProviderName}') was opened but could not be given to the TLS login (Windows error 0x{attached:X8}).")
                {
                    TargetObject = key.ProviderName,
                };
            }
        }

        /// <summary>The PIN as the provider reads it: CNG a NUL-terminated UTF-16 string, a CSP a NUL-terminated ASCII string.</summary>
        internal static byte[] PinBytes(char[] chars, bool cng)
        {
            if (cng)
            {
                byte[] utf16 = new byte[(chars.Length + 1) * 2];
                Encoding.Unicode.GetBytes(chars, 0, chars.Length, utf16, 0);
                return utf16;
            }

            byte[] ascii = new byte[chars.Length + 1];
            for (int i = 0; i < chars.Length; i++)
            {
                ascii[i] = chars[i] < 0x80 ? (byte)chars[i] : (byte)'?';
            }

            return ascii;
        }

        private static EkengException Failure(int status, WindowsKeyProvInfo key)
        {
            switch (status)
            {
                case ScardWrongChv:
                case NteIncorrectPassword:
                    return new EkengException(PinErrors.PinIncorrect, "The card refused the AuthPIN. Nothing was sent to the service.")
                    {
                        RecommendedAction = "Check the PIN; the card blocks it after its tries run out (Get-EkengCard shows the state).",
                    };
                case ScardChvBlocked:
                    return new EkengException(PinErrors.PinLocked, "The AuthPIN is blocked.");
                case ScardWCancelledByUser:
                case ScardECancelled:
                case NteSilentContext:
                    return new EkengException(ServiceErrors.ClientCertificateKeyUnavailable, $"The card's software (provider '{key.ProviderName}') wants to show its own PIN window, which a silent login cannot (0x{status:X8}).")
                    {
                        RecommendedAction = "Run the command without -Pin in an interactive session: the card's software then asks for the PIN itself.",
                        TargetObject = key.ProviderName,
                    };
                default:
                    return new EkengException(ServiceErrors.ClientCertificateKeyUnavailable, $"The card's key (provider '{key.ProviderName}', container '{key.ContainerName}') could not be opened with the PIN (Windows error 0x{status:X8}).")
                    {
                        TargetObject = key.ProviderName,
                    };
            }
        }
    }
}
