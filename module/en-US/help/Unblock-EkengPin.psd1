@{
    Synopsis    = 'Sets a new PIN with the PUK when the PIN is locked or forgotten.'
    Description = @'
Unblock-EkengPin replaces a locked or forgotten PIN with a new one using the PUK: C_Login as the security officer with the PUK, then C_InitPIN in a read/write session, as activation does. Then it reads the card again and writes the refreshed EkengCard to the pipeline.

Without -PinKind it resets the PINs the card reports as locked; a forgotten PIN that is not locked must be named with -PinKind (otherwise PinNotLocked). A PIN that was never set is refused (PinNotInitialized): use Initialize-EkengPin.

Prompting, validation and the guard are those of Initialize-EkengPin: secrets as SecureStrings or asked through the host (a new PIN twice), a clear error in a non-interactive session without them; the new PIN checked before anything is sent; the PUK never sent at its final try or locked without -Force, and never retried after a failure. Because it overwrites an existing PIN, the command asks for confirmation (ConfirmImpact High): pass -Confirm:$false in scripts.

The PUK is checked before it is sent: within the token's PIN length bounds and digits only on ARMID tokens (PukLengthOutOfRange, PukNotDigits); nothing is sent when it fails. One -Puk for both tokens is sent to the second token only after the first accepted it. -Puk together with -AuthPuk/-SignPuk fails with PukAmbiguous.
'@
    Defaults    = @{ PinKind = 'the locked ones' }
    Parameters  = @{
        Card         = 'The card, as Get-EkengCard returns it (pipeline input). Without it, the single card present is used.'
        PinKind      = 'Which PINs to reset: Auth, Sign or both. Default: those the card reports as locked.'
        Puk          = 'The PUK, a SecureString. Asked for when absent in an interactive session.'
        AuthPuk      = 'The PUK of ARMID (AuthPIN), a SecureString, where each token has its own PUK (with -SignPuk, instead of -Puk). A refused PUK stops the command before anything is sent to the other token.'
        SignPuk      = 'The PUK of ARMID (SignPIN), a SecureString, where each token has its own PUK (with -AuthPuk, instead of -Puk).'
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
