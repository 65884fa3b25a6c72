@{
    Synopsis    = 'Changes a PIN of an ARMID card: the current PIN to a new one.'
    Description = @'
Set-EkengPin changes the PIN of ARMID (AuthPIN), ARMID (SignPIN) or both with the current PIN (PKCS#11 C_SetPIN in a read/write session), then reads the card again and writes the refreshed EkengCard to the pipeline.

The current and the new PIN are SecureStrings; when absent in an interactive session they are asked for through the host (the new PIN twice); a non-interactive session without them fails at once (CurrentPinRequired, PinRequired). The new PIN is checked before anything is sent: its length within the token's bounds (PinLengthOutOfRange), digits only on ARMID tokens (PinNotDigits), different from the current one (PinUnchanged). The current PIN is checked the same way before it is sent, so that a typing slip never costs a try (CurrentPinLengthOutOfRange, CurrentPinNotDigits).

When a token refuses after another one was already changed, the error says which PIN WAS changed and that nothing was sent to the rest. When re-reading the card after a successful change fails, the error CardRereadFailed says which PINs WERE changed, and the card is still written with the note properties PinChanged and StateIsStale.

A PIN that the token reports at its final try (PinFinalTry) or locked (PinLocked) is not sent unless -Force is given (then confirmed once more unless -Confirm:$false). A wrong current PIN fails with PinIncorrect and the state of the remaining tries; it is never tried again. A PIN that was never set is refused (PinNotInitialized): use Initialize-EkengPin.
'@
    Defaults    = @{ PinKind = 'Auth, Sign (both)' }
    Parameters  = @{
        Card         = 'The card, as Get-EkengCard returns it (pipeline input). Without it, the single card present is used.'
        PinKind      = 'Which PINs to change: Auth, Sign or both (default: both).'
        CurrentPin   = 'The current PIN, a SecureString, one for every token changed. It is sent to the second token only after the first accepted it; if the first refuses it, nothing is sent to the second. Where the two tokens have different PINs, use -CurrentAuthPin and -CurrentSignPin. Asked for, per token, when absent in an interactive session.'
        CurrentAuthPin = 'The current PIN of ARMID (AuthPIN), a SecureString (with -CurrentSignPin: one per token, instead of -CurrentPin).'
        CurrentSignPin = 'The current PIN of ARMID (SignPIN), a SecureString (with -CurrentAuthPin: one per token, instead of -CurrentPin).'
        Pin          = 'The new PIN, a SecureString. Asked for twice when absent in an interactive session.'
        Force        = 'Sends the current PIN even when the token reports it at its final try or locked.'
        Pkcs11Module = 'The PKCS#11 library to use instead of the one the card was read with (or the one found).'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Set-EkengPin -PinKind Auth'
            Remarks = 'Asks for the current and the new authentication PIN and changes it.'
        }
        @{
            Code    = 'Set-EkengPin -PinKind Sign -CurrentPin $old -Pin $new -WhatIf'
            Remarks = 'Shows what would be changed; nothing is sent to the card.'
        }
    )
    Outputs     = 'Ekeng.Cards.EkengCard'
    Links       = @('Initialize-EkengPin', 'Unblock-EkengPin', 'Get-EkengCard')
}
