@{
    Synopsis    = 'Signs files with the ID card''s signing key (SignPIN): a PDF gets a PAdES signature in a new revision, any other file a detached CAdES .p7s.'
    Description = @'
New-EkengSignature signs each file with the private key of the card's Signing certificate (token ARMID (SignPIN)). The key never leaves the card: the command builds the signed attributes and asks the token for one RSA signature (C_Sign, CKM_RSA_PKCS over a SHA-256 DigestInfo) per file.

A PDF (by its .pdf name) gets a PAdES baseline B-B signature (SubFilter ETSI.CAdES.detached, signing-certificate-v2 attribute, the signing time in the signature dictionary's M, -Reason and -Location) in an INCREMENTAL update: the original bytes are kept as they are, so a PDF that is already signed keeps its earlier signatures valid. The signature is invisible, or with -Visible a box on the first page. Default output: name.signed.pdf next to the input.

Any other file gets a detached CAdES-B-B signature (DER): content-type, message-digest, signing-certificate-v2 and signing-time, SHA-256. Default output: name.p7s next to the input (openssl cms -verify -binary -inform DER -in name.p7s -content name checks it).

Every input is checked first (readable, a PDF readable and not encrypted, the output free): only then is the SignPIN asked (or taken from -Pin) and sent, once for all the files (a key that demands a PIN for every signature, CKA_ALWAYS_AUTHENTICATE, gets it before each one). Nothing is sent to the card under -WhatIf, for an expired signing certificate, or when no input can be signed. An existing output file is never replaced without -Force; a file is written whole or not at all.
'@
    Parameters  = @{
        Path         = 'The files to sign (wildcards allowed). Get-ChildItem''s output binds by FullName.'
        Card         = 'The card (Get-EkengCard, pipeline input). Without it and without -Certificate: the one card present.'
        Certificate  = 'The card''s signing certificate (Get-EkengCertificate -Kind Sign, pipeline input).'
        OutFile      = 'The signed file''s path (one input only).'
        OutputFolder = 'The folder for the signed files (names as the defaults: name.signed.pdf, name.p7s).'
        Force        = 'Replaces an existing output file.'
        Pin          = 'The SignPIN as a SecureString. Without it the host asks; a non-interactive session fails with PinRequired.'
        Visible      = 'Shows a PDF signature in a box at the bottom left of the first page: the signer''s name, public service number, date (UTC) and reason, in Helvetica (characters outside Latin-1 appear as ?). Without it the signature is invisible (it shows in the reader''s signature panel).'
        Reason       = 'The reason written in a PDF signature.'
        Location     = 'The place written in a PDF signature.'
        TimestampServer = 'An RFC 3161 time-stamping server (http or https). Each signature then carries a time-stamp over its value (PAdES B-T, CAdES-B-T); a server that gives none fails that file with TimestampFailed and writes nothing.'
        TrustedCaFile   = 'A PEM file whose CA certificates are the only roots trusted for an https -TimestampServer. Default: $env:EKENG_CA_FILE, else the system''s roots.'
        Pkcs11Module = 'The PKCS#11 library to use instead of the one the card was read with (or the one found).'
    }
    Examples    = @(
        @{
            Code    = 'New-EkengSignature -Path contract.pdf -Reason ''Approved'' -Location ''Yerevan'''
            Remarks = 'Asks for the SignPIN and writes contract.signed.pdf.'
        }
        @{
            Code    = 'Get-ChildItem *.pdf, *.docx | New-EkengSignature -OutputFolder signed -Pin $signPin'
            Remarks = 'Signs every file with one PIN entry: PDFs as PAdES, the others as detached .p7s files in the folder signed.'
        }
        @{
            Code    = 'New-EkengSignature -Path invoice.pdf -TimestampServer http://timestamp.example.org/tsr'
            Remarks = 'Signs with a time-stamp from the server (PAdES B-T).'
        }
        @{
            Code    = 'Get-EkengCard -Reader ''ACS ACR39U 00 00'' | New-EkengSignature -Path report.xlsx -WhatIf'
            Remarks = 'Shows what would be signed with that card, without asking for the PIN.'
        }
    )
    Outputs     = 'Ekeng.Signing.SignedFile'
    Links       = @('Test-EkengSignature', 'Get-EkengCertificate', 'Get-EkengCard')
}
