using Ekeng.Certificates;
using Ekeng.Http;
using Ekeng.Pkcs11;

namespace Ekeng.Crm
{
    /// <summary>
    /// The card login to a named service, in the order every CRM and fee command keeps: the server's trust (a private
    /// CA for the service's host only, else the system's roots); the service proves, with no card login, that it speaks
    /// the modelled API (<see cref="ServiceContract"/>); only then the AuthPIN, checked (<see cref="PinCheck"/>), opens a
    /// mutual-TLS session with the card's authentication key. The caller asks for the PIN between the two steps.
    /// </summary>
    public sealed class CardLogin
    {
        private readonly ILogger? _logger;

        /// <param name="service">The named service (see <see cref="EkengSessionOptions.ResolveNamedCrmUri"/>).</param>
        /// <param name="trustedCaFile">A full path to a PEM of the only roots trusted for the service's host, or null (EKENG_CA_FILE, else the system's).</param>
        /// <param name="logger">The log of the sessions this login opens.</param>
        public CardLogin(Uri service, string? trustedCaFile, ILogger? logger = null)
        {
            Service = service;
            _logger = logger;
            Trust = EkengSessionOptions.ResolveTrust(trustedCaFile, service, serviceNamed: true, out _);
            TrustedCaFile = trustedCaFile ?? (Trust.CustomRoots != null ? Trust.Source : null);
        }

        /// <summary>The service logged in to.</summary>
        public Uri Service { get; }

        /// <summary>The server trust in effect.</summary>
        public ServerTrust Trust { get; }

        /// <summary>The CA file in effect (null: the system's roots); a registration remembers it for the next command.</summary>
        public string? TrustedCaFile { get; }

        /// <summary>What a caller sets on both sessions' options beyond the service and its trust (a check's short timeout, one attempt, a test's handler factory).</summary>
        public Action<EkengSessionOptions>? Configure { get; set; }

        /// <summary>
        /// Before step 1, no PIN: what the card login needs without the PIN or the network (the TLS engine with the token's
        /// library, the replies' JSON contracts) is made ready on a worker thread while the probe runs
        /// (<see cref="ClientCertificateHandlers.Prepare"/>); a failure there is left for the login itself to report.
        /// </summary>
        public Task PrepareAsync(EkengCertificate certificate) =>
            ClientCertificateHandlers.Prepare(certificate.Token?.ModulePath, _logger ?? NullLogger.Instance, CrmClient.BodyTypes);

        /// <summary>Step 1, no card involved: the contract's version the service names (CrmContractNotSpoken otherwise).</summary>
        public async Task<string> ProbeContractAsync(CancellationToken cancellationToken)
        {
            var plain = new EkengSessionOptions(Service, Trust) { GetAttempts = 1 };
            Configure?.Invoke(plain);
            using (EkengSession contract = EkengSession.Open(plain, _logger))
            {
                return await ServiceContract.ProbeAsync(contract, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Step 2: the session with the card's authentication key; the PIN's shape is checked before it reaches the token.</summary>
        public EkengSession Open(EkengCertificate certificate, SecureString pin)
        {
            PinCheck.RequireShape(certificate.Token, certificate.TokenLabel ?? "ARMID (AuthPIN)", pin);
            var options = new EkengSessionOptions(Service, Trust)
            {
                ClientCertificate = ClientCertificateRequest.For(certificate, pin),
            };
            Configure?.Invoke(options);
            return EkengSession.Open(options, _logger);
        }
    }
}
