using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Ekeng.Cards;
using Ekeng.Certificates;
using Ekeng.Diagnostics;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the certificates on ARMID cards, with the holder's name and public service number.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EkengCertificate", DefaultParameterSetName = ParameterSets.Default)]
    [OutputType(typeof(EkengCertificate))]
    public sealed class GetEkengCertificateCommand : EkengCmdlet
    {
        public static class ParameterSets
        {
            public const string Default = "Default";
        }

        private CardInventory? _inventory;
        private CertificateService? _certificates;

        /// <summary>The card, as Get-EkengCard or Initialize-EkengPin return it. Without it, every card present.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = ParameterSets.Default)]
        [Alias("InputObject")]
        [ValidateNotNull]
        public EkengCard? Card { get; set; }

        /// <summary>Only certificates of these kinds: Authentication, Signing.</summary>
        [Parameter(Position = 0, ParameterSetName = ParameterSets.Default)]
        [ValidateSet(nameof(CertificateKind.Authentication), nameof(CertificateKind.Signing), nameof(CertificateKind.Unknown), IgnoreCase = true)]
        public CertificateKind[]? Kind { get; set; }

        /// <summary>The PKCS#11 library to use instead of the one found (or the one the card was read with).</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        [ValidateNotNullOrEmpty]
        public string? Pkcs11Module { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _inventory = new CardInventory(CreateLogger<CardInventory>());
            _certificates = new CertificateService(CreateLogger<CertificateService>());
        }

        protected override void ProcessRecord()
        {
            try
            {
                IReadOnlyList<EkengCard> cards;
                if (Card is null)
                {
                    cards = RunService(_ => _inventory!.GetCards(null, Pkcs11Module)).Where(c => c.Tokens.Count > 0).ToList();
                    if (cards.Count == 0)
                    {
                        WriteWarning("No card with PKCS#11 tokens was found.");
                    }
                }
                else if (Card.Tokens.Count == 0 || Pkcs11Module != null)
                {
                    cards = Card.CardPresent && Card.Reader != null ? new[] { RunService(_ => _inventory!.AttachTokens(Card, Pkcs11Module ?? Card.Pkcs11Module)) } : new[] { Card };
                }
                else
                {
                    cards = new[] { Card };
                }

                foreach (EkengCard card in cards)
                {
                    IReadOnlyList<EkengCertificate> found = RunService(_ => _certificates!.GetCertificates(card));
                    WriteObject(found.Where(c => Kind is null || Kind.Length == 0 || Kind.Contains(c.Kind)), enumerateCollection: true);
                }
            }
            catch (EkengException e)
            {
                WriteEkengError(e, Card);
            }
        }
    }
}
