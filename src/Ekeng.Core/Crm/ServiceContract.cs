using Ekeng.Crm.Wire;
using Ekeng.Diagnostics;
using Ekeng.Http;

namespace Ekeng.Crm
{
    /// <summary>
    /// The API this module models on the manual (docs/WIRE-CONTRACT.md): EKENG publishes none. A named service is used
    /// only after it says, in a request without the card login, that it speaks this contract: nothing reaches the card
    /// (no PIN, no key) before that.
    /// </summary>
    public static class ServiceContract
    {
        /// <summary>The contract's name, as its document says it.</summary>
        public const string Name = "ekeng-powershell-crm";

        /// <summary>The major version this module speaks.</summary>
        public const int MajorVersion = 1;

        /// <summary>The contract document's path, below the service's base address.</summary>
        public const string DocumentPath = ".well-known/ekeng-contract";

        /// <summary>
        /// Asks the service (no client certificate) which contract it speaks. Returns the version it names; throws
        /// CrmContractNotSpoken when it answers anything else (a 404, a web page, another contract or major version).
        /// </summary>
        public static async Task<string> ProbeAsync(EkengSession session, CancellationToken cancellationToken)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            if (session.ClientCertificateThumbprint != null)
            {
                throw new InvalidOperationException("The contract is asked without the card login.");
            }

            ContractDto document;
            try
            {
                document = (await session.GetAsync<ContractDto>(DocumentPath, error => NotSpoken(session.BaseUri, $"GET /{DocumentPath} answered HTTP {(int)error.StatusCode}"), cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (EkengException e) when (e.ErrorId.EndsWith("ProtocolError", StringComparison.Ordinal))
            {
                throw NotSpoken(session.BaseUri, $"GET /{DocumentPath} did not answer with the contract's document");
            }

            string? version = document.Version;
            if (!string.Equals(document.Contract, Name, StringComparison.Ordinal) || version is null || MajorOf(version) != MajorVersion)
            {
                throw NotSpoken(session.BaseUri, $"it names the contract '{document.Contract ?? "(none)"}' version '{version ?? "(none)"}', not {Name} {MajorVersion}.x");
            }

            return version;
        }

        private static int? MajorOf(string version)
        {
            int dot = version.IndexOf('.');
            return int.TryParse(dot < 0 ? version : version.Substring(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int major) ? major : (int?)null;
        }

        private static CrmException NotSpoken(Uri service, string reason) =>
            new CrmException(CrmErrors.CrmContractNotSpoken, $"The service at {service} does not speak the API this module models ({reason}). Nothing was sent with the card: no PIN was used.", null)
            {
                TargetObject = service.ToString(),
            };
    }
}
