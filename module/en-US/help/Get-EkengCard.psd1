@{
    Synopsis    = 'Lists smart card readers and the ARMID cards in them.'
    Description = @'
Get-EkengCard asks the smart card service (PC/SC: pcscd on Linux and macOS, the Smart Card service on Windows) for its readers and returns one EkengCard object per reader: the reader name, whether a card is present, its state, its Answer To Reset (ATR) in hexadecimal, and whether the ATR is that of an ARMID card.

With -Wait it waits until a card is inserted in one of the readers (or returns at once when one already holds a card), for at most -Timeout seconds; Ctrl+C ends the wait.

When no reader is connected the command writes a warning and no object. When the smart card service is not running it fails with the error id PcscServiceUnavailable.
'@
    Parameters  = @{
        Reader  = 'The reader names to list. Wildcards are allowed; tab completion lists the readers connected now. A name without wildcards that matches no reader is an error (ReaderNotFound).'
        Wait    = 'Waits until a card is present in one of the readers (restricted by -Reader), then returns that card.'
        Timeout = 'How long -Wait waits, in seconds (1 to 86400; default 60). When it passes, the command fails with the error id CardWaitTimeout.'
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
            Code    = 'Get-EkengCard -Wait -Timeout 120'
            Remarks = 'Waits up to two minutes for the holder to insert the card and returns it.'
        }
    )
    Outputs     = 'Ekeng.Cards.EkengCard'
    Links       = @('about_Ekeng')
}
