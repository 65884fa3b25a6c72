using System.Security.Cryptography.X509Certificates;

namespace Ekeng.Sandbox.Hosting;

/// <summary>The CAs named by --client-ca; a client certificate is trusted when its chain ends at one of them.</summary>
public sealed class TrustedClientCas
{
    private readonly X509Certificate2Collection _roots = [];

    public TrustedClientCas(IEnumerable<string> pemFiles)
    {
        foreach (string file in pemFiles) _roots.ImportFromPemFile(file);
    }

    public bool Chains(X509Certificate2 certificate, DateTime now)
    {
        if (_roots.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.ExtraStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate);
    }
}
