using System.Security.Cryptography.X509Certificates;

namespace Ekeng.Platform
{
    /// <summary>
    /// crypt32, ncrypt and advapi32 for <see cref="IWindowsSmartCardKeys"/>: the smart-card key opened with
    /// CRYPT_SILENT / NCRYPT_SILENT_FLAG, the PIN set as a property (the CSP or KSP checks it on the card at once),
    /// and the handle set on the certificate context (CERT_KEY_CONTEXT_PROP_ID or CERT_NCRYPT_KEY_HANDLE_PROP_ID),
    /// where CryptAcquireCertificatePrivateKey, and so Schannel, finds it. Windows only; not run off Windows.
    /// </summary>
    public sealed class WindowsSmartCardKeys : IWindowsSmartCardKeys
    {
        private const int CertKeyProvInfoPropId = 2;
        private const int CertKeyContextPropId = 5;
        private const int CertNcryptKeyHandlePropId = 78;
        private const uint CryptSilent = 0x40;
        private const int PpKeyExchangePin = 32;
        private const int PpSignaturePin = 33;
        private const uint NcryptSilentFlag = 0x40;
        private const string NcryptPinProperty = "SmartCardPin";

        public WindowsKeyProvInfo? GetKeyProvInfo(X509Certificate2 certificate)
        {
            int size = 0;
            if (!CertGetCertificateContextProperty(certificate.Handle, CertKeyProvInfoPropId, IntPtr.Zero, ref size) || size <= 0)
            {
                return null;
            }

            IntPtr buffer = Marshal.AllocHGlobal(size);
            try
            {
                if (!CertGetCertificateContextProperty(certificate.Handle, CertKeyProvInfoPropId, buffer, ref size))
                {
                    return null;
                }

                var info = (CryptKeyProvInfo)Marshal.PtrToStructure(buffer, typeof(CryptKeyProvInfo))!;
                return new WindowsKeyProvInfo(
                    Marshal.PtrToStringUni(info.ContainerName) ?? string.Empty,
                    Marshal.PtrToStringUni(info.ProviderName) ?? string.Empty,
                    info.ProviderType,
                    info.KeySpec);
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        public int OpenWithPin(WindowsKeyProvInfo key, byte[] pin, out IntPtr handle)
        {
            handle = IntPtr.Zero;
            if (key.IsCng)
            {
                int status = NCryptOpenStorageProvider(out IntPtr provider, key.ProviderName, 0);
                if (status != 0)
                {
                    return status;
                }

                try
                {
                    int legacySpec = key.KeySpec == WindowsKeyProvInfo.AtKeyExchange || key.KeySpec == WindowsKeyProvInfo.AtSignature ? key.KeySpec : 0;
                    status = NCryptOpenKey(provider, out IntPtr opened, key.ContainerName, legacySpec, NcryptSilentFlag);
                    if (status != 0)
                    {
                        return status;
                    }

                    status = NCryptSetProperty(opened, NcryptPinProperty, pin, pin.Length, NcryptSilentFlag);
                    if (status != 0)
                    {
                        NCryptFreeObject(opened);
                        return status;
                    }

                    handle = opened;
                    return 0;
                }
                finally
                {
                    NCryptFreeObject(provider);
                }
            }

            if (!CryptAcquireContext(out IntPtr context, key.ContainerName, key.ProviderName, key.ProviderType, CryptSilent))
            {
                return Marshal.GetLastWin32Error();
            }

            int parameter = key.KeySpec == WindowsKeyProvInfo.AtSignature ? PpSignaturePin : PpKeyExchangePin;
            if (!CryptSetProvParam(context, parameter, pin, 0))
            {
                int error = Marshal.GetLastWin32Error();
                CryptReleaseContext(context, 0);
                return error;
            }

            handle = context;
            return 0;
        }

        public int Attach(X509Certificate2 certificate, WindowsKeyProvInfo key, IntPtr handle)
        {
            if (key.IsCng)
            {
                IntPtr value = Marshal.AllocHGlobal(IntPtr.Size);
                try
                {
                    Marshal.WriteIntPtr(value, handle);
                    return CertSetCertificateContextProperty(certificate.Handle, CertNcryptKeyHandlePropId, 0, value) ? 0 : Marshal.GetLastWin32Error();
                }
                finally
                {
                    Marshal.FreeHGlobal(value);
                }
            }

            var keyContext = new CertKeyContext { Size = Marshal.SizeOf(typeof(CertKeyContext)), CryptProv = handle, KeySpec = key.KeySpec };
            IntPtr buffer = Marshal.AllocHGlobal(keyContext.Size);
            try
            {
                Marshal.StructureToPtr(keyContext, buffer, false);
                return CertSetCertificateContextProperty(certificate.Handle, CertKeyContextPropId, 0, buffer) ? 0 : Marshal.GetLastWin32Error();
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        public void Release(WindowsKeyProvInfo key, IntPtr handle)
        {
            if (handle == IntPtr.Zero)
            {
                return;
            }

            if (key.IsCng)
            {
                NCryptFreeObject(handle);
            }
            else
            {
                CryptReleaseContext(handle, 0);
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct CryptKeyProvInfo
        {
            public IntPtr ContainerName;
            public IntPtr ProviderName;
            public int ProviderType;
            public int Flags;
            public int ProvParamCount;
            public IntPtr ProvParams;
            public int KeySpec;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct CertKeyContext
        {
            public int Size;
            public IntPtr CryptProv;
            public int KeySpec;
        }

        [DllImport("crypt32.dll", SetLastError = true)]
        private static extern bool CertGetCertificateContextProperty(IntPtr context, int propertyId, IntPtr data, ref int size);

        [DllImport("crypt32.dll", SetLastError = true)]
        private static extern bool CertSetCertificateContextProperty(IntPtr context, int propertyId, int flags, IntPtr data);

        [DllImport("advapi32.dll", EntryPoint = "CryptAcquireContextW", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern bool CryptAcquireContext(out IntPtr context, string container, string provider, int providerType, uint flags);

        [DllImport("advapi32.dll", SetLastError = true)]
        private static extern bool CryptSetProvParam(IntPtr context, int parameter, byte[] data, int flags);

        [DllImport("advapi32.dll", SetLastError = true)]
        private static extern bool CryptReleaseContext(IntPtr context, int flags);

        [DllImport("ncrypt.dll", CharSet = CharSet.Unicode)]
        private static extern int NCryptOpenStorageProvider(out IntPtr provider, string providerName, int flags);

        [DllImport("ncrypt.dll", CharSet = CharSet.Unicode)]
        private static extern int NCryptOpenKey(IntPtr provider, out IntPtr key, string keyName, int legacyKeySpec, uint flags);

        [DllImport("ncrypt.dll", CharSet = CharSet.Unicode)]
        private static extern int NCryptSetProperty(IntPtr handle, string property, byte[] input, int inputSize, uint flags);

        [DllImport("ncrypt.dll")]
        private static extern int NCryptFreeObject(IntPtr handle);
    }
}
