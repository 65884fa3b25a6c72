@{
    Synopsis    = 'Lists the certificates on ARMID cards, with the holder''s name and public service number.'
    Description = @'
Get-EkengCertificate reads the certificate objects of a card's PKCS#11 tokens (public objects: no PIN is needed) and returns one EkengCertificate per certificate: the X509Certificate2 itself (Certificate), its Kind (Authentication from the ARMID (AuthPIN) token, Signing from the ARMID (SignPIN) token, cross-checked with the key usage: KindMatchesKeyUsage), the holder's name in Latin letters (HolderName), the public service number (PublicServiceNumber, the 10-digit ՀԾՀ), Issuer, NotBefore, NotAfter and DaysLeft.

The holder is read from the certificate subject in each known form: SERIALNUMBER (2.5.4.5) with the 10 digits, GIVENNAME and SURNAME, and a common name whose last group is the 10 digits.

The card comes from the pipeline (Get-EkengCard, Initialize-EkengPin); without it, the certificates of every card present are listed.

A certificate that ends within 30 days (or has ended) also gives a warning naming the holder, the date and the days left, so that the renewal is planned in time; Test-EkengSetup -WarningDays sets another window for its checks.
'@
    Parameters  = @{
        Card         = 'The card, as Get-EkengCard or Initialize-EkengPin return it (pipeline input). Without it, every card present.'
        Kind         = 'Only certificates of these kinds: Auth, Sign (the two keys, named as -PinKind of the PIN cmdlets names them; Authentication and Signing, as the Kind of the output shows them, are accepted too).'
        Pkcs11Module = 'The PKCS#11 library to use instead of the one the card was read with (or the one found).'
    }
    Examples    = @(
        @{
            Code    = 'Get-EkengCard | Get-EkengCertificate'
            Remarks = 'Lists both certificates of the card with the holder''s name, public service number and days left.'
        }
        @{
            Code    = '(Get-EkengCertificate -Kind Auth).Certificate | Export-Certificate -FilePath auth.cer'
            Remarks = 'Exports the authentication certificate (Windows); on other systems use [IO.File]::WriteAllBytes with .Certificate.RawData.'
        }
    )
    Outputs     = 'Ekeng.Certificates.EkengCertificate'
    Links       = @('Get-EkengCard', 'Initialize-EkengPin')
}
