using Ekeng.Security;
using Ekeng.Signing;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Signs files with the ID card's signing key (SignPIN): a PDF gets a PAdES signature in a new revision, any other file a detached CAdES .p7s.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "EkengSignature", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SignedFile))]
    public sealed class NewEkengSignatureCommand : TokenCmdletBase
    {
        private readonly List<SigningJob> _jobs = new List<SigningJob>();
        private readonly HashSet<string> _outputs = new HashSet<string>(StringComparer.Ordinal);
        private SigningService? _service;
        private DateTime _signingTime;
        private int _inputs;
        private Ekeng.Http.ServerTrust? _timestampTrust;

        /// <summary>The files to sign (wildcards allowed); Get-ChildItem's output binds by FullName.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The card (Get-EkengCard). Without it (and without -Certificate): the one card present.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public EkengCard? Card { get; set; }

        /// <summary>The card's signing certificate (Get-EkengCertificate -Kind Sign).</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public EkengCertificate? Certificate { get; set; }

        /// <summary>The signed file's path (one input only). Default: name.signed.pdf for a PDF, name.p7s otherwise, next to the input.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>The folder the signed files go to (same names as the defaults).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputFolder { get; set; }

        /// <summary>Replaces an existing output file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The SignPIN (SecureString). Without it the host asks; a non-interactive session fails with PinRequired.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Pin { get; set; }

        /// <summary>A PDF signature shown in a box at the bottom left of the first page (signer, number, date, reason); invisible without it.</summary>
        [Parameter]
        public SwitchParameter Visible { get; set; }

        /// <summary>The PDF signature's /Reason.</summary>
        [Parameter]
        public string? Reason { get; set; }

        /// <summary>The PDF signature's /Location.</summary>
        [Parameter]
        public string? Location { get; set; }

        /// <summary>An RFC 3161 time-stamping server (http or https): every signature gets its time-stamp (PAdES B-T, CAdES-B-T).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? TimestampServer { get; set; }

        /// <summary>A PEM file whose CA certificates are the ONLY roots trusted for an https -TimestampServer. Default: $env:EKENG_CA_FILE, else the system's roots.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedCaFile { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _service = new SigningService(CreateLogger<SigningService>());
            _signingTime = DateTime.UtcNow;
            if (OutFile != null && OutputFolder != null)
            {
                ThrowEkengError(new EkengException(SigningErrors.OutFileAndOutputFolder, "-OutFile and -OutputFolder exclude each other.") { RecommendedAction = "Give one of them." });
            }

            if (TimestampServer != null)
            {
                if (!TimestampServer.IsAbsoluteUri || (TimestampServer.Scheme != Uri.UriSchemeHttp && TimestampServer.Scheme != Uri.UriSchemeHttps))
                {
                    ThrowEkengError(new EkengException(SigningErrors.InvalidTimestampServer, $"-TimestampServer '{TimestampServer}' is not an http or https address.") { TargetObject = TimestampServer });
                }

                try
                {
                    // -TrustedCaFile is for the time-stamp server's host alone; EKENG_CA_FILE (the CRM's) never applies here.
                    _timestampTrust = Ekeng.Http.EkengSessionOptions.ResolveTrust(TrustedCaFile is null ? null : GetUnresolvedProviderPathFromPSPath(TrustedCaFile), TimestampServer, serviceNamed: false, out _);
                }
                catch (EkengException e)
                {
                    ThrowEkengError(e, TrustedCaFile);
                }
            }

            if (OutputFolder != null && !Directory.Exists(GetUnresolvedProviderPathFromPSPath(OutputFolder)))
            {
                ThrowEkengError(new EkengException(SigningErrors.OutputFolderNotFound, $"The output folder '{OutputFolder}' does not exist.") { TargetObject = OutputFolder });
            }
        }

        protected override void ProcessRecord()
        {
            foreach (string given in Path ?? Array.Empty<string>())
            {
                foreach (string path in Resolve(given))
                {
                    _inputs++;
                    if (OutFile != null && _inputs > 1)
                    {
                        ThrowEkengError(new EkengException(SigningErrors.OutFileWithSeveralInputs, "-OutFile names one file, and several files were given. Nothing was signed."));
                    }

                    string output = OutFile != null
                        ? GetUnresolvedProviderPathFromPSPath(OutFile)
                        : SigningService.DefaultOutput(path, OutputFolder is null ? null : GetUnresolvedProviderPathFromPSPath(OutputFolder));
                    try
                    {
                        if (!_outputs.Add(System.IO.Path.GetFullPath(output)))
                        {
                            throw new EkengException(SigningErrors.DuplicateOutput, $"'{output}' would receive the signatures of two inputs; '{path}' was not signed.")
                            {
                                TargetObject = path,
                            };
                        }

                        SigningJob job = _service!.Prepare(path, output, Force.IsPresent, _signingTime, Reason, Location, Visible.IsPresent);
                        if (ShouldProcessOrExplain(path, $"Sign with the ID card's signing key ({(job.Kind == SignatureKind.Pades ? "PAdES, into" : "detached CAdES,")} '{job.OutputPath}')"))
                        {
                            _jobs.Add(job);
                        }
                    }
                    catch (EkengException e)
                    {
                        WriteEkengError(e, path);
                    }
                }
            }
        }

        protected override void EndProcessing()
        {
            try
            {
                if (_jobs.Count == 0)
                {
                    return;
                }

                SigningSession session;
                try
                {
                    EkengCertificate certificate = ResolveSigningCertificate();
                    SigningService.CheckCertificate(certificate, DateTime.UtcNow);
                    SecureString pin = GetSignPin(certificate);
                    session = RunService(_ => _service!.Open(certificate, pin, TimestampServer, _timestampTrust));
                }
                catch (EkengException e)
                {
                    // Card, certificate, PIN or login: no input can overcome it, the command ends.
                    ThrowEkengError(e);
                    return;
                }

                using (session)
                {
                    foreach (SigningJob job in _jobs)
                    {
                        try
                        {
                            WriteObject(RunService(_ => _service!.Sign(session, job, _signingTime)));
                        }
                        catch (EkengException e) when (SigningErrors.SignPinIncorrect.Is(e) || SigningErrors.SignPinLocked.Is(e))
                        {
                            // A context-specific login refused: the next file would spend another try.
                            ThrowEkengError(e, job.Path);
                        }
                        catch (EkengException e)
                        {
                            WriteEkengError(e, job.Path);
                        }
                    }
                }
            }
            finally
            {
                base.EndProcessing();
            }
        }

        private IEnumerable<string> Resolve(string given)
        {
            IReadOnlyList<string> paths = FilePathResolver.Resolve(this, given);
            if (paths.Count == 0)
            {
                WriteEkengError(new EkengException(SigningErrors.SignInputNotFound, $"'{given}' does not exist (or names no file).") { TargetObject = given });
            }

            return paths;
        }

        private EkengCertificate ResolveSigningCertificate()
        {
            if (Certificate != null)
            {
                return Certificate;
            }

            // The one card resolution (CardResolver): the piped card read, or the only card present; its errors end the command.
            var resolver = new CardResolver(new CardInventory(CreateLogger<CardInventory>()));
            EkengCard card = RunService(_ => resolver.Single(Card, Pkcs11Module, pinTokensOnly: true, emptyReaderSkipped: false))!;
            var certificates = new CertificateService(CreateLogger<CertificateService>());
            EkengCertificate? signing = RunService(_ => certificates.GetCertificates(card)).FirstOrDefault(c => c.Kind == CertificateKind.Signing);
            if (signing is null)
            {
                ThrowEkengError(new EkengException(SigningErrors.SigningCertificateNotFound, $"The card '{card}' holds no signing certificate (token 'ARMID (SignPIN)'). Nothing was signed.")
                {
                    RecommendedAction = "Check the card with Get-EkengCertificate -Kind Sign.",
                    TargetObject = card.ToString(),
                });
            }

            return signing!;
        }

        /// <summary>The SignPIN from -Pin or the host, checked (state, digits, the token's length bounds) before it is sent.</summary>
        private SecureString GetSignPin(EkengCertificate certificate) =>
            Secrets.RequireLoginPin(certificate.Token, certificate.TokenLabel ?? "ARMID (SignPIN)", "SignPIN", Pin, SigningErrors.SignPinLocked, "Nothing was signed.");
    }
}
