@{
    Synopsis    = 'Lists smart card readers and the ARMID cards in them.'
    Description = @'
Get-EkengCard asks the smart card service (PC/SC: pcscd on Linux and macOS, the Smart Card service on Windows) for its readers and returns one EkengCard object per reader: the reader name, whether a card is present, its state, its Answer To Reset (ATR) in hexadecimal, and whether the ATR is that of an ARMID card.

It also reads the card's PKCS#11 tokens through the card middleware's library: the CryptoCard Suite library at its known places, else OpenSC's module, or the library named by -Pkcs11Module or the EKENG_PKCS11_MODULE environment variable. The two tokens of one card, ARMID (AuthPIN) and ARMID (SignPIN), belong to ONE EkengCard (joined by the reader their slot names, else by token serial number), which shows the state of each PIN (AuthPin, SignPin: NotInitialized, Ready, CountLow, FinalTry, Locked, ToBeChanged, the PUK's state, the PIN length bounds), the token serial number and the library used. A card known only through PKCS#11 (a token with no PC/SC reader, such as a SoftHSM token) is listed after the readers, with no reader. When no PKCS#11 library is found, the readers are listed without PIN states (a verbose message names the places searched); when the smart card service is down but tokens are found, the tokens are listed.

With -Wait it waits until a card is inserted in one of the readers (or returns at once when one already holds a card), for at most -Timeout seconds; Ctrl+C ends the wait.

When no reader is connected the command writes a warning and no object. When the smart card service is not running it fails with the error id PcscServiceUnavailable.

For each card with tokens it also reads the certificates (public objects, no PIN) and warns when one ends within 30 days (or has ended), naming the holder and the date.
'@
    Parameters  = @{
        Reader  = 'The reader names to list. Wildcards are allowed; tab completion lists the readers connected now. A name without wildcards that matches no reader is an error (ReaderNotFound).'
        Wait    = 'Waits until a card is present in one of the readers (restricted by -Reader), then returns that card.'
        Timeout = 'How long to wait for a card, in seconds (1 to 86400; default 60); given alone it implies -Wait. When it passes, the command fails with the error id CardWaitTimeout.'
        Pkcs11Module = 'The path of the PKCS#11 library of the card middleware to read the tokens with, instead of the one found (CryptoCard Suite, then OpenSC) or the one in EKENG_PKCS11_MODULE. A path that does not exist is an error (Pkcs11ModuleNotFound); a library built for another architecture is refused before it is loaded (Pkcs11ModuleArchitectureMismatch).'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard'
            Remarks = 'Lists every reader with its card state and ATR.'
        }
        @{
            Code    = 'Get-EkengCard -Reader ''*PCD*'' | Where-Object IsArmid'
            Remarks = 'Lists the readers whose name contains PCD and that hold an ARMID card.'
        }
        @{
            Code    = 'Get-EkengCard | Format-List Reader, SerialNumber, AuthPin, SignPin, Pkcs11Module'
            Remarks = 'Shows the state of both PINs of each card and the PKCS#11 library they were read with.'
        }
        @{
            Code    = 'Get-EkengCard -Pkcs11Module /usr/lib/softhsm/libsofthsm2.so'
            Remarks = 'Reads the tokens through another PKCS#11 library (here SoftHSM, as the tests do).'
        }
        @{
            Code    = 'Get-EkengCard -Wait -Timeout 120'
            Remarks = 'Waits up to two minutes for the holder to insert the card and returns it.'
        }
    )
    Outputs     = 'Ekeng.Cards.EkengCard'
    Links       = @('about_Ekeng')
}
