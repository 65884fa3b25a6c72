using Ekeng.PcSc;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Activates the PINs of a new ARMID card with its Initial PUK.</para>
    /// </summary>
    [Cmdlet(VerbsData.Initialize, "EkengPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Default)]
    [OutputType(typeof(EkengCard))]
    public sealed class InitializeEkengPinCommand : PukCmdletBase
    {
        /// <summary>After the activation, waits until the card is removed and inserted again (the manual's last step), then checks that its certificates are seen.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: how long to wait for the card to be removed and inserted again, in seconds (default 120).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int Timeout { get; set; } = 120;

        protected override PinOperation Operation => PinOperation.Activate;

        protected override void ProcessCard(EkengCard card)
        {
            // Both PINs by default, as the manual does.
            IReadOnlyList<Pkcs11Token> tokens = SelectTokens(card, PinKind, _ => true);
            SetPinsWithPuk(card, tokens, "Activate the PIN of {0} with the PUK (C_Login as SO, C_InitPIN)", "The Initial PUK");
        }

        /// <summary>
        /// The manual's last step: remove the card and insert it again, so that the system sees its certificates (on
        /// Windows that copies them into the user's store). Said always; with -Wait, awaited and checked.
        /// </summary>
        protected override EkengCard AfterChange(EkengCard card, IReadOnlyList<Pkcs11Token> done)
        {
            string activated = string.Join(" and ", done.Select(t => t.Label));
            if (!Wait)
            {
                Say($"{activated} activated. Now remove the card from the reader and insert it again, so that the system sees its certificates (Initialize-EkengPin -Wait waits for that).");
                return card;
            }

            if (card.Reader is null)
            {
                WriteWarning($"{activated} activated. The card '{card}' was read through PKCS#11 alone, with no reader to watch: remove it and insert it again yourself.");
                return card;
            }

            Say($"{activated} activated. Remove the card from '{card.Reader}' and insert it again (waiting up to {Timeout} s).");
            try
            {
                RunService(ct => Readers.WaitForReinsertion(card.Reader, TimeSpan.FromSeconds(Timeout), ct));
            }
            catch (EkengException e) when (PcScErrors.PcscTimeout.Is(e))
            {
                WriteEkengError(new EkengException(CardErrors.CardWaitTimeout, $"{activated} WAS activated (use the new PINs from now on), but the card was not removed from '{card.Reader}' and inserted again within {Timeout} second(s).", e)
                {
                    RecommendedAction = "Remove the card and insert it again; Get-EkengCard | Get-EkengCertificate then shows its certificates.",
                    TargetObject = card.ToString(),
                });
                return card;
            }

            EkengCard again = RunService(_ => Inventory.Refresh(card));
            var certificates = RunService(_ => new CertificateService(CreateLogger<CertificateService>()).GetCertificates(again));
            string[] kinds = certificates.Select(c => c.Kind.ToString()).Distinct().ToArray();
            if (kinds.Contains(nameof(CertificateKind.Authentication)) && kinds.Contains(nameof(CertificateKind.Signing)))
            {
                Say($"The card is back in '{again.Reader}' and its certificates are seen: {string.Join(", ", certificates.Select(c => c.ToString()))}.");
            }
            else
            {
                WriteWarning($"The card is back in '{again.Reader}', but its {(kinds.Length == 0 ? "certificates are" : "certificates are not all")} seen ({(kinds.Length == 0 ? "none" : string.Join(", ", kinds))}). Check the middleware (Get-EkengCard | Get-EkengCertificate).");
            }

            return again;
        }

        private ReaderService Readers => new ReaderService(CreateLogger<ReaderService>());

        /// <summary>A line for the person at the console (the information stream, shown like Write-Host; 6&gt; captures it).</summary>
        private void Say(string text)
        {
            DrainLog();
            WriteInformation(new HostInformationMessage { Message = text }, new[] { "PSHOST" });
        }
    }
}
