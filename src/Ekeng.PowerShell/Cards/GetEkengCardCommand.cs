using Ekeng.PcSc;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists smart card readers and the ARMID cards in them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengCard", DefaultParameterSetName = ParameterSets.List)]
    [OutputType(typeof(EkengCard))]
    public sealed class GetEkengCardCommand : TokenCmdletBase
    {
        public static class ParameterSets
        {
            public const string List = "List";
            public const string Wait = "Wait";
        }

        private ReaderNameFilter _filter = new ReaderNameFilter(Array.Empty<string>(), Array.Empty<string>());
        private ReaderService? _cards;
        private CardInventory? _inventory;

        /// <summary>Reader names; wildcards allowed (an existing reader's exact name is always taken literally).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ReaderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Reader { get; set; }

        /// <summary>Waits until a card is inserted in one of the readers (implied by -Timeout).</summary>
        [Parameter(ParameterSetName = ParameterSets.Wait)]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long to wait, in seconds; given alone, it implies -Wait.</summary>
        [Parameter(ParameterSetName = ParameterSets.Wait)]
        [ValidateRange(1, 86400)]
        public int Timeout { get; set; } = 60;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _cards = new ReaderService(CreateLogger<ReaderService>());
            _inventory = new CardInventory(CreateLogger<CardInventory>());
        }

        protected override void ProcessRecord()
        {
            try
            {
                _filter = new ReaderNameFilter(Reader ?? Array.Empty<string>(), KnownReadersIfNeeded());
                if (ParameterSetName == ParameterSets.Wait)
                {
                    EkengCard card = RunService(stop => _cards!.WaitForCard(IsWanted, TimeSpan.FromSeconds(Timeout), stop));
                    card = RunService(_ => _inventory!.AttachTokens(card, Pkcs11Module));
                    CertificateExpiryWarnings.Write(this, card, CreateLogger<CertificateService>());
                    DrainLog();
                    WriteObject(card);
                    return;
                }

                IReadOnlyList<EkengCard> cards = RunService(_ => _inventory!.GetCards(Reader is null ? null : new Func<string, bool>(IsWanted), Pkcs11Module, readersOnly: Reader != null));
                if (cards.Count == 0 && Reader is null)
                {
                    WriteWarning("No smart card reader was found. Connect a reader; on Linux check that pcscd sees it ('pcsc_scan').");
                }

                ReportReadersNotFound(cards);
                foreach (EkengCard card in cards)
                {
                    CertificateExpiryWarnings.Write(this, card, CreateLogger<CertificateService>());
                }

                DrainLog();
                WriteObject(cards, enumerateCollection: true);
            }
            catch (EkengException e)
            {
                if (PcScErrors.PcscTimeout.Is(e))
                {
                    var timeout = new EkengException(CardErrors.CardWaitTimeout, $"No card was inserted within {Timeout} second(s).", e);
                    e = timeout;
                }

                ThrowEkengError(e, Reader);
            }
        }

        private bool IsWanted(string reader) => _filter.IsMatch(reader);

        /// <summary>The readers present, asked only when a name holds wildcard characters (it may be an exact name).</summary>
        private IReadOnlyList<string> KnownReadersIfNeeded()
        {
            if (Reader is null || !Reader.Any(WildcardPattern.ContainsWildcardCharacters))
            {
                return Array.Empty<string>();
            }

            try
            {
                return RunService(_ => _cards!.GetReaderNames());
            }
            catch (EkengException e)
            {
                WriteDebug($"PC/SC: {e.Message}");
                return Array.Empty<string>();
            }
        }

        /// <summary>A name without wildcards that matches no reader is an error, as with Get-Process -Name.</summary>
        private void ReportReadersNotFound(IReadOnlyList<EkengCard> cards)
        {
            foreach (string name in Reader ?? Array.Empty<string>())
            {
                if (_filter.IsPattern(name))
                {
                    continue;
                }

                if (!cards.Any(c => c.Reader != null && _filter.NameMatches(name, c.Reader)))
                {
                    var error = new EkengException(PcScErrors.ReaderNotFound, $"No reader named '{name}' was found.");
                    WriteEkengError(error, name);
                }
            }
        }
    }
}
