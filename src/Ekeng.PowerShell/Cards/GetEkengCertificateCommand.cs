namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the certificates on ARMID cards, with the holder's name and public service number.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengCertificate", DefaultParameterSetName = ParameterSets.Default)]
    [OutputType(typeof(EkengCertificate))]
    public sealed class GetEkengCertificateCommand : CardInputCmdletBase
    {
        /// <summary>The one parameter set (-Card and -Pkcs11Module, from <see cref="CardInputCmdletBase"/>, are in every set).</summary>
        public static class ParameterSets
        {
            public const string Default = "Default";
        }

        private CardResolver? _resolver;
        private CertificateService? _certificates;

        /// <summary>Only certificates of these kinds: Auth, Sign (as -PinKind names the keys; Authentication and Signing work too).</summary>
        [Parameter(Position = 0, ParameterSetName = ParameterSets.Default)]
        [CertificateKindArgument]
        [ValidateSet(CertificateKindArgumentAttribute.Auth, CertificateKindArgumentAttribute.Sign, IgnoreCase = true)]
        public string[]? Kind { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _resolver = new CardResolver(new CardInventory(CreateLogger<CardInventory>()));
            _certificates = new CertificateService(CreateLogger<CertificateService>());
        }

        protected override void ProcessRecord()
        {
            try
            {
                IReadOnlyList<EkengCard> cards;
                if (Card is null)
                {
                    cards = RunService(_ => _resolver!.Discover(Pkcs11Module, pinTokensOnly: false));
                    if (cards.Count == 0)
                    {
                        WriteWarning("No card with PKCS#11 tokens was found.");
                    }
                }
                else
                {
                    EkengCard? read = CardResolver.NeedsReading(Card, Pkcs11Module) ? RunService(_ => _resolver!.Read(Card, Pkcs11Module)) : Card;
                    cards = read is null ? Array.Empty<EkengCard>() : new[] { read };
                }

                CertificateKind?[]? kinds = Kind?.Select(CertificateKindArgumentAttribute.ToKind).ToArray();
                foreach (EkengCard card in cards)
                {
                    IReadOnlyList<EkengCertificate> found = RunService(_ => _certificates!.GetCertificates(card));
                    CertificateExpiryWarnings.Write(this, found);
                    WriteObject(found.Where(c => kinds is null || kinds.Length == 0 || kinds.Contains(c.Kind)), enumerateCollection: true);
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, Card);
            }
        }
    }
}
