@{
    Synopsis    = 'Checks the signatures of a PDF, or of a file and its detached .p7s: integrity, the chain to a trusted root, validity at the signing time.'
    Description = @'
Test-EkengSignature returns one SignatureCheck per signature: Valid, and when it is not, Reason (Integrity: the signed bytes or attributes changed; Chain: the signer's certificate does not lead to a trusted root; Validity: a certificate was not valid at the signing time; Format: the signature cannot be read) with Detail; the signer's name and public service number (ՀԾՀ) read as Get-EkengCertificate reads them, the signing time (a PDF's M, or the signing-time attribute) and the time-stamp's time when there is one. For a PDF, each signature says whether it covers the whole file (an earlier one of several does not).

It checks signatures made by any tool (a PDF's /ByteRange and /Contents, a CMS detached signature in DER or PEM, e.g. from openssl cms -sign). Revocation (CRL, OCSP) is not checked.
'@
    Parameters  = @{
        Path            = 'A signed PDF, a signed file (its signature in name.p7s), or the .p7s itself. Get-ChildItem''s output binds by FullName.'
        SignatureFile   = 'The detached signature of -Path when it is not name.p7s.'
        TrustedRootFile = 'A PEM (or DER) file whose certificates are the only roots trusted. Without it, the system''s roots.'
    }
    Examples    = @(
        @{
            Code    = 'Test-EkengSignature contract.signed.pdf -TrustedRootFile citizen-ca.pem'
            Remarks = 'Checks each signature of the PDF against the given root.'
        }
        @{
            Code    = 'Get-ChildItem *.p7s | Test-EkengSignature | Where-Object { -not $_.Valid }'
            Remarks = 'Lists the detached signatures that do not hold.'
        }
    )
    Outputs     = 'Ekeng.Signing.SignatureCheck'
    Links       = @('New-EkengSignature')
}
