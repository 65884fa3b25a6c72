using Ekeng.Diagnostics;

namespace Ekeng.Certificates
{
    /// <summary>The card's certificates and trusted roots (the error catalogue: README.md's error table lists each entry with its category and action).</summary>
    public static class CertificateErrors
    {
        public static readonly EkengError AuthenticationCertificateNotFound = new EkengError("AuthenticationCertificateNotFound", EkengErrorKind.ObjectNotFound, "Check the card with Get-EkengCertificate.");

        public static readonly EkengError NotAnAuthenticationCertificate = new EkengError("NotAnAuthenticationCertificate", EkengErrorKind.InvalidArgument, "Pipe the card's Authentication certificate: Get-EkengCertificate -Kind Auth | <command>.");

        public static readonly EkengError TrustedRootUnreadable = new EkengError(RootCertificateFile.TrustedRootUnreadable, EkengErrorKind.ReadError, "Name a readable file that holds the root certificate(s), PEM or DER.", CommandEnding.No, EkengErrorKind.InvalidData);
    }
}
