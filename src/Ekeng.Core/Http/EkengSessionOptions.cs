using Ekeng.Diagnostics;

namespace Ekeng.Http
{
    /// <summary>Where an EKENG service is, whom to trust, and how to log in.</summary>
    public sealed class EkengSessionOptions
    {
        public const string CrmUriVariable = "EKENG_CRM_URI";
        public const string CaFileVariable = "EKENG_CA_FILE";

        public EkengSessionOptions(Uri baseUri, ServerTrust trust)
        {
            BaseUri = baseUri ?? throw new ArgumentNullException(nameof(baseUri));
            Trust = trust ?? throw new ArgumentNullException(nameof(trust));
        }

        public Uri BaseUri { get; }

        public ServerTrust Trust { get; }

        /// <summary>The card login; null for a session without a client certificate.</summary>
        public ClientCertificateRequest? ClientCertificate { get; set; }

        /// <summary>The way to the card key; null = <see cref="ClientCertificateHandlers.Default"/>.</summary>
        public IClientCertificateHandlerFactory? HandlerFactory { get; set; }

        /// <summary>The largest answer body read (1 MiB): the contract's bodies are small JSON; a larger one is refused unread.</summary>
        public int MaxResponseBytes { get; set; } = 1024 * 1024;

        /// <summary>The production card-payment gateway (ArCa), whose page the fee order may point to besides the service's own host.</summary>
        public const string DefaultGatewayHost = "ipay.arca.am";

        /// <summary>
        /// The hosts a payment page may be on besides the service's own host (https only): the named gateway. Nothing
        /// else is ever opened in a browser or handed on.
        /// </summary>
        public System.Collections.Generic.IList<string> GatewayHosts { get; } = new System.Collections.Generic.List<string> { DefaultGatewayHost };

        /// <summary>One attempt's limit.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts of an idempotent GET (POSTs are sent once).</summary>
        public int GetAttempts { get; set; } = 3;

        /// <summary>The first pause between GET attempts; doubled each time.</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(400);

        /// <summary>How a pause between attempts is waited (tests record it); null = Task.Delay.</summary>
        internal Func<TimeSpan, System.Threading.CancellationToken, System.Threading.Tasks.Task>? Delay { get; set; }

        /// <summary>The service's name in messages, e.g. <c>the EKENG customer system (CRM)</c>.</summary>
        public string ServiceName { get; set; } = "the EKENG customer system (CRM)";

        /// <summary>The catalogue entries of the transport errors: CrmUnreachable, CrmTimeout, CrmError, ...</summary>
        public HttpServiceErrors Errors { get; set; } = HttpServiceErrors.Crm;

        /// <summary>
        /// The service named to speak the modelled API: -CrmUri, else $env:EKENG_CRM_URI (https only); null when none is
        /// named. There is no default: EKENG publishes no API, so the real crm.ekeng.am is a page for the holder, never
        /// a service this module sends requests to by omission.
        /// </summary>
        public static Uri? ResolveNamedCrmUri(Uri? explicitUri)
        {
            Uri? uri = explicitUri;
            string? fromEnvironment = Environment.GetEnvironmentVariable(CrmUriVariable);
            if (uri is null && !string.IsNullOrWhiteSpace(fromEnvironment))
            {
                if (!Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out uri))
                {
                    throw new EkengException(ServiceErrors.InvalidCrmUri, $"{CrmUriVariable} is not an absolute URI: '{fromEnvironment}'.") { TargetObject = fromEnvironment };
                }
            }

            if (uri is null)
            {
                return null;
            }

            if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new EkengException(ServiceErrors.InvalidCrmUri, $"The CRM address must be an absolute https URI: '{uri}'.") { TargetObject = uri.ToString() };
            }

            return uri.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri + "/");
        }

        /// <summary>
        /// The trust of a session with the service at <paramref name="serviceUri"/>: the PEM of -TrustedCaFile (named
        /// with this command), else $env:EKENG_CA_FILE but ONLY when the service's address was named too
        /// (<paramref name="serviceNamed"/>: -CrmUri, EKENG_CRM_URI, a registration's address), else the system's roots.
        /// A private CA is trusted for the service's host alone; every other host keeps the system's roots.
        /// <paramref name="ignoredCaFile"/> says which EKENG_CA_FILE was left out (the production address with no
        /// service named), for a warning.
        /// </summary>
        public static ServerTrust ResolveTrust(string? trustedCaFile, Uri serviceUri, bool serviceNamed, out string? ignoredCaFile)
        {
            if (serviceUri is null)
            {
                throw new ArgumentNullException(nameof(serviceUri));
            }

            ignoredCaFile = null;
            string? path = trustedCaFile;
            if (string.IsNullOrWhiteSpace(path))
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(CaFileVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    if (serviceNamed)
                    {
                        path = fromEnvironment;
                    }
                    else
                    {
                        ignoredCaFile = fromEnvironment;
                    }
                }
            }

            return string.IsNullOrWhiteSpace(path) ? ServerTrust.System : ServerTrust.FromPemFile(path!).ForHost(serviceUri.Host);
        }

        /// <summary>Whether the CRM's address is named (-CrmUri or $env:EKENG_CRM_URI), not the production default by omission.</summary>
        public static bool IsCrmUriNamed(Uri? explicitUri) =>
            explicitUri != null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(CrmUriVariable));
    }
}
