using Ekeng.Certificates;

namespace Ekeng.Signing
{
    /// <summary>Logs in to the token of a signing certificate and finds its private key (same CKA_ID).</summary>
    internal interface ISigningKeySource
    {
        ISigningKey Open(EkengCertificate certificate, SecureString pin);
    }
}
