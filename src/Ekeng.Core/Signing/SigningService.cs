using System.Security.Cryptography;
using Ekeng.Certificates;
using Ekeng.Diagnostics;

namespace Ekeng.Signing
{
    /// <summary>
    /// Signs files with the card's signing key in two steps, so that no PIN try is spent on input that cannot be
    /// signed: <see cref="Prepare"/> checks each file (readable, a PDF readable and not encrypted, the output free) and
    /// lays out a PDF's update; then one <see cref="Open"/> (one C_Login) and one <see cref="Sign"/> per file (one
    /// C_Sign each, with a context-specific login first when the key demands it).
    /// </summary>
    public sealed class SigningService
    {
        private readonly ILogger _logger;
        private readonly ISigningKeySource _keys;

        public SigningService(ILogger? logger = null)
            : this(logger, new Pkcs11SigningKeySource(logger))
        {
        }

        internal SigningService(ILogger? logger, ISigningKeySource keys)
        {
            _logger = logger ?? NullLogger.Instance;
            _keys = keys;
        }

        /// <summary>PDF (by its .pdf name) or any other file.</summary>
        public static SignatureKind KindOf(string path) =>
            string.Equals(Path.GetExtension(path), ".pdf", StringComparison.OrdinalIgnoreCase) ? SignatureKind.Pades : SignatureKind.Cades;

        /// <summary>Where the signature of <paramref name="path"/> goes by default: name.signed.pdf, or name.p7s next to it (or in <paramref name="folder"/>).</summary>
        public static string DefaultOutput(string path, string? folder)
        {
            string name = KindOf(path) == SignatureKind.Pades
                ? Path.GetFileNameWithoutExtension(path) + ".signed" + Path.GetExtension(path)
                : Path.GetFileName(path) + ".p7s";
            return Path.Combine(folder ?? Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", name);
        }

        /// <summary>Refuses a signing certificate outside its validity period (nothing is sent to the card).</summary>
        public static void CheckCertificate(EkengCertificate certificate, DateTime now)
        {
            if (certificate.Kind != CertificateKind.Signing)
            {
                throw new EkengException(SigningErrors.NotASigningCertificate, $"The certificate '{certificate.Subject}' is a {certificate.Kind} certificate; signatures use the card's Signing certificate (SignPIN).")
                {
                    TargetObject = certificate,
                };
            }

            DateTime utc = now.ToUniversalTime();
            if (certificate.NotAfter.ToUniversalTime() < utc || certificate.NotBefore.ToUniversalTime() > utc)
            {
                bool expired = certificate.NotAfter.ToUniversalTime() < utc;
                throw new EkengException(SigningErrors.SigningCertificateExpired, $"The signing certificate '{certificate.Subject}' is {(expired ? "expired since " + certificate.NotAfter.ToUniversalTime().ToString("u") : "not valid before " + certificate.NotBefore.ToUniversalTime().ToString("u"))}: nothing was signed and no PIN was sent.")
                {
                    TargetObject = certificate,
                };
            }
        }

        /// <summary>Checks one input and its output path, and lays out a PDF's update. Nothing reaches the token.</summary>
        public SigningJob Prepare(string path, string outputPath, bool force, DateTime signingTime, string? reason, string? location) =>
            Prepare(path, outputPath, force, signingTime, reason, location, visible: false);

        /// <summary>As the other overload; <paramref name="visible"/>: a PDF signature shown in a box on the first page.</summary>
        public SigningJob Prepare(string path, string outputPath, bool force, DateTime signingTime, string? reason, string? location, bool visible)
        {
            SignatureKind kind = KindOf(path);
            string output = Path.GetFullPath(outputPath);
            if (!force && File.Exists(output))
            {
                throw SigningFiles.Exists(output);
            }

            string? folder = Path.GetDirectoryName(output);
            if (folder != null && !Directory.Exists(folder))
            {
                throw new EkengException(SigningErrors.OutputFolderNotFound, $"The folder of '{output}' does not exist; '{path}' was not signed.") { TargetObject = output };
            }

            if (kind == SignatureKind.Cades)
            {
                using (SigningFiles.Open(path))
                {
                    return new SigningJob(path, output, kind, null, force);
                }
            }

            byte[] pdf = SigningFiles.ReadAll(path, SigningFiles.MaxPdfBytes);
            var job = new SigningJob(path, output, kind, pdf, force);
            job.PdfOptions = new PdfSignatureOptions { SigningTime = signingTime, Reason = reason, Location = location };
            job.Visible = visible;
            job.Prepared = PdfIncrementalSigner.Prepare(pdf, job.PdfOptions, path);
            _logger.LogDebug("'{Path}' is ready for a PAdES signature (field {Field}).", path, job.Prepared.FieldName);
            return job;
        }

        /// <summary>The lines of a visible signature's box.</summary>
        internal static string[] VisibleLines(EkengCertificate certificate, PdfSignatureOptions options)
        {
            var lines = new System.Collections.Generic.List<string>
            {
                "Digitally signed by " + (certificate.HolderName ?? certificate.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)),
            };
            if (certificate.PublicServiceNumber != null)
            {
                lines.Add("Public service number " + certificate.PublicServiceNumber);
            }

            lines.Add("Date " + options.SigningTime.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC");
            if (!string.IsNullOrEmpty(options.Reason))
            {
                lines.Add("Reason " + options.Reason);
            }

            return lines.ToArray();
        }

        /// <summary>Logs in to the certificate's token once (C_Login with the SignPIN) and finds its key.</summary>
        public SigningSession Open(EkengCertificate certificate, SecureString pin) => Open(certificate, pin, null, null);

        /// <summary>As <see cref="Open(EkengCertificate, SecureString)"/>; with <paramref name="timestampServer"/> every signature gets an RFC 3161 time-stamp (B-T).</summary>
        public SigningSession Open(EkengCertificate certificate, SecureString pin, Uri? timestampServer, Ekeng.Http.ServerTrust? trust)
        {
            CheckCertificate(certificate, DateTime.UtcNow);
            _logger.LogInformation("Logging in to '{Token}' to sign.", certificate.TokenLabel);
            TimestampClient? timestamps = timestampServer is null ? null : new TimestampClient(timestampServer, trust ?? Ekeng.Http.ServerTrust.System);
            try
            {
                return new SigningSession(certificate, _keys.Open(certificate, pin), timestamps);
            }
            catch
            {
                timestamps?.Dispose();
                throw;
            }
        }

        /// <summary>Signs one prepared file and writes its result atomically.</summary>
        public SignedFile Sign(SigningSession session, SigningJob job, DateTime signingTime)
        {
            EkengCertificate certificate = session.Certificate;
            byte[] Signer(byte[] digestInfo)
            {
                byte[] signature = session.Key.SignDigestInfo(digestInfo);
                session.Signatures++;
                return signature;
            }

            Func<byte[], byte[]>? timestamp = null;
            if (session.Timestamps != null)
            {
                timestamp = signature => session.Timestamps.Stamp(signature, System.Threading.CancellationToken.None);
            }

            if (job.Kind == SignatureKind.Pades)
            {
                PreparedPdf prepared = job.Prepared ?? throw new InvalidOperationException("The PDF was not prepared.");
                if (job.Visible && job.Pdf != null && job.PdfOptions != null)
                {
                    // The box names the signer: laid out again now that the certificate is known (checked before).
                    job.PdfOptions.VisibleLines = VisibleLines(certificate, job.PdfOptions);
                    prepared = PdfIncrementalSigner.Prepare(job.Pdf, job.PdfOptions, job.Path);
                }

                byte[] cms = CmsSignatureBuilder.Build(PdfIncrementalSigner.SignedBytesHash(prepared), certificate.Certificate, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), null, Signer, timestamp);
                byte[] signed = PdfIncrementalSigner.Complete(prepared, cms);
                SigningFiles.Write(job.OutputPath, s => s.Write(signed, 0, signed.Length), job.Force);
                _logger.LogInformation("'{Path}' signed (PAdES, field {Field}) into '{Output}'.", job.Path, prepared.FieldName, job.OutputPath);
                return new SignedFile(job.Path, job.OutputPath, job.Kind, certificate.HolderName, certificate.PublicServiceNumber, signingTime, prepared.FieldName);
            }

            byte[] digest;
            using (FileStream input = SigningFiles.Open(job.Path))
            using (SHA256 sha = SHA256.Create())
            {
                try
                {
                    digest = sha.ComputeHash(input);
                }
                catch (IOException e)
                {
                    throw new EkengException(SigningErrors.SignInputUnreadable, $"'{job.Path}' cannot be read: {e.Message}", e) { TargetObject = job.Path };
                }
            }

            byte[] p7s = CmsSignatureBuilder.Build(digest, certificate.Certificate, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), signingTime, Signer, timestamp);
            SigningFiles.Write(job.OutputPath, s => s.Write(p7s, 0, p7s.Length), job.Force);
            _logger.LogInformation("'{Path}' signed (detached CAdES) into '{Output}'.", job.Path, job.OutputPath);
            return new SignedFile(job.Path, job.OutputPath, job.Kind, certificate.HolderName, certificate.PublicServiceNumber, signingTime, null);
        }
    }
}
