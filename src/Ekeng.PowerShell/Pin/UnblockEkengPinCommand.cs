namespace Ekeng.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets a new PIN with the PUK when the PIN is locked or forgotten.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Unblock, "EkengPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.Default)]
    [OutputType(typeof(EkengCard))]
    public sealed class UnblockEkengPinCommand : PukCmdletBase
    {
        protected override PinOperation Operation => PinOperation.Unblock;

        protected override void ProcessCard(EkengCard card)
        {
            // The locked PINs by default.
            IReadOnlyList<Pkcs11Token> tokens = SelectTokens(card, PinKind, t => t.Pin.Locked);
            if (tokens.Count == 0)
            {
                throw new EkengException(PinErrors.PinNotLocked, $"No PIN of '{card}' is locked. Nothing was sent to the card.")
                {
                    TargetObject = card.ToString(),
                };
            }

            SetPinsWithPuk(card, tokens, "Replace the PIN of {0} with a new one, using the PUK (C_Login as SO, C_InitPIN)", "The PUK");
        }
    }
}
