namespace Ekeng.Http
{
    /// <summary>
    /// A handler factory that can do ahead of time the part of a card login that needs neither the PIN nor the key
    /// (OpenSSL's pkcs11 engine started with the token's library, once per process), while the command does something
    /// else: <see cref="ClientCertificateHandlers.Prepare"/>.
    /// </summary>
    public interface IClientCertificatePreparation
    {
        /// <summary>Starts what a login through <paramref name="pkcs11Module"/> will need; a failure here is the login's to report.</summary>
        void Prepare(string pkcs11Module, ILogger logger);
    }
}
