@{
    Synopsis    = 'Activates the PINs of a new ARMID card with its Initial PUK.'
    Description = @'
Initialize-EkengPin does the first procedure of EKENG's manual: a new ARMID card's two PINs, ARMID (AuthPIN) and ARMID (SignPIN), are set with the Initial PUK from the card's PIN envelope. For each token it opens a read/write PKCS#11 session, logs in as the security officer with the PUK (C_Login CKU_SO) and sets the new PIN (C_InitPIN). Afterwards it reads the card again, as the manual's "remove the card and insert it again" does (a reset of the card when its reader is known, and a fresh PKCS#11 enumeration), and writes the refreshed EkengCard to the pipeline, so that Get-EkengCertificate can follow. It then tells the holder the manual's last step: remove the card and insert it again, so that the system sees its certificates (on Windows that is what copies them into the user's certificate store). With -Wait it waits (up to -Timeout seconds) until the card is taken out of its reader and put back, reads it again and checks that both certificates are seen; a card known through PKCS#11 alone (no reader) gets a warning instead, and a wait that runs out is CardWaitTimeout, which says the PINs WERE activated.

The card comes from the pipeline (Get-EkengCard); without it, the single card present is used, and several cards are an error (MultipleCards) that asks you to pipe the one you mean.

The PUK and the PINs are SecureStrings. When they are not given and the session is interactive, they are asked for through the host; a new PIN is asked twice and both entries must be equal (PinConfirmationMismatch). A non-interactive session without them fails at once (PukRequired, PinRequired), without prompting. One -Pin serves both tokens; -AuthPin and -SignPin give each its own.

Everything that needs no card is checked before anything is sent to it: the new PIN's length within the token's minimum and maximum (PinLengthOutOfRange), digits only on ARMID tokens (PinNotDigits; leading zeros such as 0123 are kept), the new PIN different from the PUK (PinEqualsPuk). A PIN that is already set is refused without sending the PUK (PinAlreadyInitialized): use Set-EkengPin or Unblock-EkengPin.

The PUK is never sent to a token that reports it at its final try (PukFinalTry) or locked (PukLocked) unless -Force is given; then it is confirmed once more like a high-impact action (-Confirm:$false skips that question). A wrong PUK fails with PukIncorrect, whose message and Exception.Status tell what the token reports about the remaining tries; it is never tried again by the command, and no further token is touched.

-WhatIf sends nothing to the card and asks for no secret.

The PUK is checked before it is sent: within the token's PIN length bounds and digits only on ARMID tokens (PukLengthOutOfRange, PukNotDigits); nothing is sent when it fails. One -Puk for both tokens is sent to the second token only after the first accepted it. -Puk together with -AuthPuk/-SignPuk fails with PukAmbiguous.
'@
    Defaults    = @{ PinKind = 'Auth, Sign (both)' }
    Parameters  = @{
        Wait          = 'After the activation, waits until the card is removed from its reader and inserted again (the manual''s last step), then checks that both certificates are seen.'
        Timeout       = 'With -Wait: how long to wait for the card to be removed and inserted again, in seconds (1 to 3600; default 120).'
        Card         = 'The card to activate, as Get-EkengCard returns it (pipeline input). Without it, the single card present is used.'
        PinKind      = 'Which PINs to activate: Auth (ARMID (AuthPIN)), Sign (ARMID (SignPIN)) or both. Default: both, as the manual does.'
        Puk          = 'The Initial PUK, a SecureString. Asked for when absent in an interactive session.'
        AuthPuk      = 'The PUK of ARMID (AuthPIN), a SecureString, where each token has its own PUK (with -SignPuk, instead of -Puk). A refused PUK stops the command before anything is sent to the other token.'
        SignPuk      = 'The PUK of ARMID (SignPIN), a SecureString, where each token has its own PUK (with -AuthPuk, instead of -Puk).'
        Pin          = 'The new PIN for every token activated, a SecureString. Asked for (twice) when absent in an interactive session.'
        AuthPin      = 'The new PIN of ARMID (AuthPIN), when the two PINs differ.'
        SignPin      = 'The new PIN of ARMID (SignPIN), when the two PINs differ.'
        Force        = 'Sends the PUK even when the token reports it at its final try or locked (after one more confirmation unless -Confirm:$false).'
        Pkcs11Module = 'The PKCS#11 library to use instead of the one the card was read with (or the one found).'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Initialize-EkengPin'
            Remarks = 'Asks for the Initial PUK and for a new PIN (twice) for each of the two tokens, activates both, and shows the card read again.'
        }
        @{
            Code    = '$puk = Read-Host -AsSecureString ''Initial PUK''; $pin = Read-Host -AsSecureString ''New PIN''; Get-EkengCard | Initialize-EkengPin -Puk $puk -Pin $pin | Get-EkengCertificate'
            Remarks = 'Activates both PINs with one new PIN and lists the certificates the card now shows.'
        }
        @{
            Code    = 'Initialize-EkengPin -PinKind Sign -Puk $puk -SignPin $signPin -WhatIf'
            Remarks = 'Shows what would be done to the signature PIN of the single card present; nothing is sent.'
        }
    )
    Outputs     = 'Ekeng.Cards.EkengCard'
    Links       = @('Get-EkengCard', 'Set-EkengPin', 'Unblock-EkengPin', 'Get-EkengCertificate', 'about_Ekeng')
}
