using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Http;

namespace Ekeng.Tls
{
    /// <summary>The server check on .NET 8+: the system's verdict, or a chain to the caller's roots ONLY (CustomRootTrust).</summary>
    internal static class CustomRootValidator
    {
        public static bool Validate(ServerTrust trust, X509Certificate? certificate, SslPolicyErrors errors)
        {
            if (trust.CustomRoots is null)
            {
                return trust.Fail(errors == SslPolicyErrors.None ? null : $"the server certificate is not trusted by the system ({errors})");
            }

            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return trust.Fail("the server sent no certificate");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return trust.Fail($"the server certificate '{certificate.Subject}' does not name the host");
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trust.CustomRoots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            if (chain.Build(leaf))
            {
                return trust.Fail(null);
            }

            string why = chain.ChainStatus.Length > 0 ? chain.ChainStatus[0].Status + ": " + chain.ChainStatus[0].StatusInformation.Trim() : "no chain";
            return trust.Fail($"the server certificate does not chain to a CA of '{trust.Source ?? "the trusted CA list"}' ({why})");
        }
    }
}
