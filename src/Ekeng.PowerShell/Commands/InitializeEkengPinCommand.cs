using System.Collections.Generic;
using System.Management.Automation;
using Ekeng.Cards;
using Ekeng.Pkcs11;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Activates the PINs of a new ARMID card with its Initial PUK.</para>
    /// </summary>
    [Cmdlet(VerbsData.Initialize, "EkengPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Default)]
    [OutputType(typeof(EkengCard))]
    public sealed class InitializeEkengPinCommand : PukCommandBase
    {
        protected override PinOperation Operation => PinOperation.Activate;

        protected override void ProcessCard(EkengCard card)
        {
            // Both PINs by default, as the manual does.
            IReadOnlyList<Pkcs11Token> tokens = SelectTokens(card, PinKind, _ => true);
            SetPinsWithPuk(card, tokens, "Activate the PIN of {0} with the PUK (C_Login as SO, C_InitPIN)", "The Initial PUK");
        }
    }
}
