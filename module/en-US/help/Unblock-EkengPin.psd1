@{
    Synopsis    = 'Sets a new PIN with the PUK when the PIN is locked or forgotten.'
    Description = @'
Unblock-EkengPin replaces a locked or forgotten PIN with a new one using the PUK: C_Login as the security officer with the PUK, then C_InitPIN in a read/write session, as activation does. Then it reads the card again and writes the refreshed EkengCard to the pipeline.

Without -PinKind it resets the PINs the card reports as locked; a forgotten PIN that is not locked must be named with -PinKind (otherwise PinNotLocked). A PIN that was never set is refused (PinNotInitialized): use Initialize-EkengPin.

Prompting, validation and the guard are those of Initialize-EkengPin: secrets as SecureStrings or asked through the host (a new PIN twice), a clear error in a non-interactive session without them; the new PIN checked before anything is sent; the PUK never sent at its final try or locked without -Force, and never retried after a failure. Because it overwrites an existing PIN, the command asks for confirmation (ConfirmImpact High): pass -Confirm:$false in scripts.
'@
    Parameters  = @{
        Card         = 'The card, as Get-EkengCard returns it (pipeline input). Without it, the single card present is used.'
        PinKind      = 'Which PINs to reset: Auth, Sign or both. Default: those the card reports as locked.'
        Puk          = 'The PUK, a SecureString. Asked for when absent in an interactive session.'
        Pin          = 'The new PIN for every token reset, a SecureString. Asked for twice when absent in an interactive session.'
        AuthPin      = 'The new PIN of ARMID (AuthPIN), when the two PINs differ.'
        SignPin      = 'The new PIN of ARMID (SignPIN), when the two PINs differ.'
        Force        = 'Sends the PUK even when the token reports it at its final try or locked.'
        Pkcs11Module = 'The PKCS#11 library to use instead of the one the card was read with (or the one found).'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Unblock-EkengPin'
            Remarks = 'Asks for the PUK and a new PIN for each locked PIN, after a confirmation.'
        }
        @{
            Code    = 'Unblock-EkengPin -PinKind Sign -Puk $puk -Pin $newPin -Confirm:$false'
            Remarks = 'Resets a forgotten signature PIN from a script.'
        }
    )
    Outputs     = 'Ekeng.Cards.EkengCard'
    Links       = @('Initialize-EkengPin', 'Set-EkengPin', 'Get-EkengCard')
}
