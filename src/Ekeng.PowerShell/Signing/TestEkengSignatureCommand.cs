using System.Security.Cryptography.X509Certificates;
using Ekeng.Signing;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks the signatures of a PDF, or of a file and its detached .p7s: integrity, the chain to a trusted root, validity at the signing time.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "EkengSignature")]
    [OutputType(typeof(SignatureCheck))]
    public sealed class TestEkengSignatureCommand : EkengCmdlet
    {
        private SignatureVerifier? _verifier;

        /// <summary>A signed PDF, a signed file (its signature in name.p7s), or the .p7s itself. Get-ChildItem's output binds by FullName.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The detached signature of a single -Path, when it is not name.p7s.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SignatureFile { get; set; }

        /// <summary>A PEM (or DER) file whose certificates are the ONLY roots trusted. Default: the system's roots.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedRootFile { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            IReadOnlyList<X509Certificate2>? roots = null;
            if (TrustedRootFile != null)
            {
                try
                {
                    roots = Ekeng.Certificates.RootCertificateFile.Read(GetUnresolvedProviderPathFromPSPath(TrustedRootFile));
                }
                catch (EkengException e)
                {
                    ThrowEkengError(e, TrustedRootFile);
                }
            }

            _verifier = new SignatureVerifier(roots);
        }

        protected override void ProcessRecord()
        {
            foreach (string given in Path ?? Array.Empty<string>())
            {
                IReadOnlyList<string> paths = FilePathResolver.Resolve(this, given);
                if (paths.Count == 0)
                {
                    WriteEkengError(new EkengException(SigningErrors.SignInputNotFound, $"'{given}' does not exist (or names no file).") { TargetObject = given });
                    continue;
                }

                foreach (string path in paths)
                {
                    try
                    {
                        Check(path);
                    }
                    catch (EkengException e)
                    {
                        WriteEkengError(e, path);
                    }
                }
            }
        }

        private void Check(string path)
        {
            if (SigningService.KindOf(path) == SignatureKind.Pades && SignatureFile is null)
            {
                WriteObject(_verifier!.CheckPdfFile(path), enumerateCollection: true);
                return;
            }

            string content = path;
            string signature;
            if (SignatureFile != null)
            {
                signature = GetUnresolvedProviderPathFromPSPath(SignatureFile);
            }
            else if (string.Equals(System.IO.Path.GetExtension(path), ".p7s", StringComparison.OrdinalIgnoreCase))
            {
                signature = path;
                content = path.Substring(0, path.Length - 4);
            }
            else
            {
                signature = path + ".p7s";
            }

            if (!File.Exists(signature))
            {
                throw new EkengException(SigningErrors.SignatureNotFound, $"'{path}' has no detached signature ('{signature}' does not exist).")
                {
                    RecommendedAction = "Name the signature with -SignatureFile.",
                    TargetObject = path,
                };
            }

            WriteObject(_verifier!.CheckDetachedFile(content, signature));
        }
    }
}
