using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Ekeng.Diagnostics;

namespace Ekeng.Http
{
    /// <summary>
    /// Which server certificates a session accepts: the system's trusted roots, or ONLY the roots of a PEM file the
    /// caller names (a private CA such as the sandbox's), and those only for the host they were named with
    /// (<see cref="Host"/>): any other host is checked against the system's roots. A custom root also needs the
    /// serverAuth EKU in the server's certificate; the intermediates the server sends are used to build the chain.
    /// Validation is never turned off: there is no "accept any".
    /// </summary>
    public sealed class ServerTrust
    {
        /// <summary>id-kp-serverAuth.</summary>
        public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

        private ServerTrust(X509Certificate2Collection? customRoots, string? source, string? host = null)
        {
            CustomRoots = customRoots;
            Source = source;
            Host = host;
        }

        /// <summary>The one host the custom roots are for (null: every host this object checks, for tests and callers that scope it themselves).</summary>
        public string? Host { get; }

        /// <summary>The same roots, trusted for <paramref name="host"/> only (the system's roots for every other host).</summary>
        public ServerTrust ForHost(string host) => new ServerTrust(CustomRoots, Source, host ?? throw new ArgumentNullException(nameof(host)));

        /// <summary>Whether the custom roots (and not the system's) decide for a server at <paramref name="host"/>.</summary>
        public bool AppliesTo(string? host) =>
            CustomRoots != null && (Host is null || (host != null && string.Equals(host.TrimEnd('.'), Host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)));

        /// <summary>The operating system's trusted roots (a new object: it records its own last failure).</summary>
        public static ServerTrust System => new ServerTrust(null, null);

        /// <summary>The only roots trusted, or null for the system's.</summary>
        public X509Certificate2Collection? CustomRoots { get; }

        /// <summary>The PEM file the roots came from.</summary>
        public string? Source { get; }

        /// <summary>Why the last server certificate was refused (null when none was).</summary>
        public string? LastFailure { get; private set; }

        /// <summary>Only the CA certificates of a PEM file (one or more <c>BEGIN CERTIFICATE</c> blocks).</summary>
        public static ServerTrust FromPemFile(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new EkengException(ServiceErrors.TrustedCaFileUnreadable, $"The trusted CA file '{path}' could not be read: {e.Message}", e) { TargetObject = path };
            }

            X509Certificate2Collection roots = ParsePem(text);
            if (roots.Count == 0)
            {
                throw new EkengException(ServiceErrors.TrustedCaFileInvalid, $"The trusted CA file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
                {
                    TargetObject = path,
                };
            }

            return new ServerTrust(roots, path);
        }

        /// <summary>Trust exactly these roots.</summary>
        public static ServerTrust FromCertificates(X509Certificate2Collection roots, string? source = null) => new ServerTrust(roots, source);

        internal static X509Certificate2Collection ParsePem(string text)
        {
            const string Begin = "-----BEGIN CERTIFICATE-----";
            const string End = "-----END CERTIFICATE-----";
            var result = new X509Certificate2Collection();
            int at = 0;
            while ((at = text.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
            {
                int end = text.IndexOf(End, at, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                string body = text.Substring(at + Begin.Length, end - at - Begin.Length);
                var base64 = new StringBuilder(body.Length);
                foreach (char c in body.Where(c => !char.IsWhiteSpace(c)))
                {
                    base64.Append(c);
                }

                try
                {
                    result.Add(new X509Certificate2(Convert.FromBase64String(base64.ToString())));
                }
                catch (Exception e) when (e is FormatException || e is System.Security.Cryptography.CryptographicException)
                {
                    throw new EkengException(ServiceErrors.TrustedCaFileInvalid, $"A certificate in the trusted CA file is not readable: {e.Message}", e);
                }

                at = end + End.Length;
            }

            return result;
        }

        /// <summary>The server-certificate check with no host known (custom roots apply when the trust is not scoped).</summary>
        public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors) => Validate(certificate, null, errors, null);

        /// <summary>
        /// The server-certificate check for netstandard2.0 handlers. For a host the custom roots apply to: the host name
        /// must match, the certificate must carry the serverAuth EKU, and the chain (with the intermediates the server
        /// sent, from <paramref name="serverChain"/>) must end in one of the custom roots (the system's roots do not
        /// count). For any other host, or without custom roots: the system's verdict.
        /// </summary>
        public bool Validate(X509Certificate2? certificate, X509Chain? serverChain, SslPolicyErrors errors, string? host)
        {
            LastFailure = null;
            if (CustomRoots is null || (host != null && !AppliesTo(host)))
            {
                return Fail(errors == SslPolicyErrors.None ? null : $"the server certificate is not trusted by the system ({errors})");
            }

            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return Fail("the server sent no certificate");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return Fail($"the server certificate '{certificate.Subject}' does not name the host");
            }

            if (!HasServerAuth(certificate))
            {
                return Fail($"the server certificate '{certificate.Subject}' is not for TLS servers (no serverAuth extended key usage)");
            }

            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthOid));
                chain.ChainPolicy.ExtraStore.AddRange(CustomRoots);
                chain.ChainPolicy.ExtraStore.AddRange(Intermediates(serverChain, certificate));
                chain.Build(certificate);
                foreach (X509ChainElement element in chain.ChainElements)
                {
                    foreach (X509ChainStatus status in element.ChainElementStatus)
                    {
                        if (status.Status != X509ChainStatusFlags.UntrustedRoot && status.Status != X509ChainStatusFlags.NoError)
                        {
                            return Fail($"the server certificate chain is invalid ({status.Status}: {status.StatusInformation.Trim()})");
                        }
                    }
                }

                X509Certificate2 root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                bool ours = CustomRoots.Cast<X509Certificate2>().Any(r => r.RawData.SequenceEqual(root.RawData));
                return Fail(ours ? null : $"the server certificate does not chain to a CA of '{Source ?? "the trusted CA list"}'");
            }
        }

        /// <summary>
        /// True when the certificate names serverAuth in an extended-key-usage extension. A certificate with no such
        /// extension is refused under a custom root: a private CA's server certificate says what it is for.
        /// </summary>
        public static bool HasServerAuth(X509Certificate2 certificate)
        {
            foreach (X509Extension extension in certificate.Extensions)
            {
                if (extension is X509EnhancedKeyUsageExtension eku)
                {
                    return eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == ServerAuthOid);
                }
            }

            return false;
        }

        /// <summary>The certificates the server sent besides its own (the TLS stack's chain: its extra store and elements); never trust anchors.</summary>
        public static X509Certificate2Collection Intermediates(X509Chain? serverChain, X509Certificate2 leaf)
        {
            var result = new X509Certificate2Collection();
            if (serverChain is null)
            {
                return result;
            }

            foreach (X509Certificate2 c in serverChain.ChainPolicy.ExtraStore)
            {
                if (!c.RawData.SequenceEqual(leaf.RawData))
                {
                    result.Add(c);
                }
            }

            foreach (X509ChainElement element in serverChain.ChainElements)
            {
                if (!element.Certificate.RawData.SequenceEqual(leaf.RawData))
                {
                    result.Add(element.Certificate);
                }
            }

            return result;
        }

        /// <summary>Records a failure reason (null = success) and returns whether it succeeded.</summary>
        public bool Fail(string? reason)
        {
            LastFailure = reason;
            return reason is null;
        }
    }
}
