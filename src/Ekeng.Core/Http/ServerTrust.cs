using System;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ekeng.Diagnostics;

namespace Ekeng.Http
{
    /// <summary>
    /// Which server certificates a session accepts: the system's trusted roots, or ONLY the roots of a PEM file the
    /// caller names (a private CA such as the sandbox's). Validation is never turned off: there is no "accept any".
    /// </summary>
    public sealed class ServerTrust
    {
        private ServerTrust(X509Certificate2Collection? customRoots, string? source)
        {
            CustomRoots = customRoots;
            Source = source;
        }

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
                throw new EkengException("TrustedCaFileUnreadable", EkengErrorKind.ReadError, $"The trusted CA file '{path}' could not be read: {e.Message}", e) { TargetObject = path };
            }

            X509Certificate2Collection roots = ParsePem(text);
            if (roots.Count == 0)
            {
                throw new EkengException("TrustedCaFileInvalid", EkengErrorKind.InvalidData, $"The trusted CA file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
                {
                    RecommendedAction = "Name a PEM file with the CA certificate(s) of the server, e.g. the sandbox's sandbox-ca.pem.",
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
                    throw new EkengException("TrustedCaFileInvalid", EkengErrorKind.InvalidData, $"A certificate in the trusted CA file is not readable: {e.Message}", e);
                }

                at = end + End.Length;
            }

            return result;
        }

        /// <summary>
        /// The server-certificate check for netstandard2.0 handlers. With custom roots: the host name must match and
        /// the chain must end in one of the roots (the system's roots do not count); otherwise the system's verdict.
        /// </summary>
        public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors)
        {
            LastFailure = null;
            if (CustomRoots is null)
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

            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.ExtraStore.AddRange(CustomRoots);
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

        /// <summary>Records a failure reason (null = success) and returns whether it succeeded.</summary>
        public bool Fail(string? reason)
        {
            LastFailure = reason;
            return reason is null;
        }
    }
}
