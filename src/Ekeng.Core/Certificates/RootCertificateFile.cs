using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Diagnostics;
using Ekeng.Platform;
using Org.BouncyCastle.Security.Certificates;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Ekeng.Certificates
{
    /// <summary>A file of root certificates the user names (-TrustedRootFile): the one reader of such files.</summary>
    public static class RootCertificateFile
    {
        /// <summary>The error id of a file that cannot be read or holds no certificate.</summary>
        public const string TrustedRootUnreadable = "TrustedRootUnreadable";

        /// <summary>The certificates of a PEM (or DER) file, read bounded and not through a link; TrustedRootUnreadable when it holds none.</summary>
        public static IReadOnlyList<X509Certificate2> Read(string path)
        {
            byte[] bytes;
            try
            {
                bytes = SafeFile.ReadAllBytes(path, 4 * 1024 * 1024);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new EkengException(CertificateErrors.TrustedRootUnreadable, $"The trusted root file '{path}' cannot be read: {e.Message}", e) { TargetObject = path };
            }

            var result = new List<X509Certificate2>();
            try
            {
                foreach (BcCertificate c in new X509CertificateParser().ReadCertificates(bytes))
                {
                    result.Add(new X509Certificate2(c.GetEncoded()));
                }
            }
            catch (Exception e) when (e is CertificateException || e is IOException || e is ArgumentException || e is CryptographicException)
            {
                result.Clear();
            }

            if (result.Count == 0)
            {
                throw new EkengException(CertificateErrors.TrustedRootUnreadable, EkengErrorKind.InvalidData, $"The trusted root file '{path}' holds no certificate (PEM or DER).") { TargetObject = path };
            }

            return result;
        }
    }
}
