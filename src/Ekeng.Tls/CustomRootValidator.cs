using System.Net.Security;

namespace Ekeng.Tls
{
    /// <summary>
    /// The server check on .NET 8+: the system's verdict, or, for the host the caller's roots were named with, a chain
    /// to those roots ONLY (CustomRootTrust) built with the intermediates the server sent, the leaf carrying serverAuth.
    /// </summary>
    internal static class CustomRootValidator
    {
        public static bool Validate(ServerTrust trust, X509Certificate? certificate, X509Chain? serverChain, SslPolicyErrors errors, string? host)
        {
            if (trust.CustomRoots is null || !trust.AppliesTo(host))
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

            using var leaf = new X509Certificate2(certificate);
            if (!ServerTrust.HasServerAuth(leaf))
            {
                return trust.Fail($"the server certificate '{leaf.Subject}' is not for TLS servers (no serverAuth extended key usage)");
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trust.CustomRoots);
            chain.ChainPolicy.ExtraStore.AddRange(ServerTrust.Intermediates(serverChain, leaf));
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerTrust.ServerAuthOid));
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain.Build(leaf))
            {
                return trust.Fail(null);
            }

            string why = chain.ChainStatus.Length > 0 ? chain.ChainStatus[0].Status + ": " + chain.ChainStatus[0].StatusInformation.Trim() : "no chain";
            return trust.Fail($"the server certificate does not chain to a CA of '{trust.Source ?? "the trusted CA list"}' ({why})");
        }
    }
}
