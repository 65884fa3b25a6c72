using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Ekeng.Cards;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes a PIN of an ARMID card: the current PIN to a new one.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "EkengPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Default)]
    [OutputType(typeof(EkengCard))]
    public sealed class SetEkengPinCommand : PinCommandBase
    {
        public static class ParameterSets
        {
            public const string Default = "Default";
        }

        /// <summary>Which PINs to change: Auth, Sign or both (default: both).</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public PinKind[]? PinKind { get; set; }

        /// <summary>The current PIN.</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? CurrentPin { get; set; }

        /// <summary>The new PIN.</summary>
        [Parameter(ParameterSetName = ParameterSets.Default)]
        public SecureString? Pin { get; set; }

        protected override PinOperation Operation => PinOperation.Change;

        protected override void ProcessCard(EkengCard card)
        {
            IReadOnlyList<Pkcs11Token> tokens = SelectTokens(card, PinKind, _ => true);
            CheckStates(tokens);
            if (!ShouldProcess(card.ToString(), $"Change the PIN of {Labels(tokens)} (C_SetPIN)"))
            {
                return;
            }

            var requests = new List<PinRequest>();
            foreach (Pkcs11Token token in tokens)
            {
                SecureString current = GetSecret(CurrentPin, "CurrentPinRequired", nameof(CurrentPin), $"Current PIN of '{token.Label}'", false, token.Label);
                SecureString pin = GetSecret(Pin, "PinRequired", nameof(Pin), $"New PIN for '{token.Label}'", true, token.Label);
                requests.Add(new PinRequest(token, pin, current));
            }

            Run(card, requests, null);
        }
    }
}
