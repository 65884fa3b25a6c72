using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Ekeng.Certificates;
using Ekeng.Diagnostics;
using Ekeng.Platform;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security.Certificates;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using Time = Org.BouncyCastle.Asn1.Cms.Time;

namespace Ekeng.Signing
{
    /// <summary>
    /// Checks CMS signatures, detached (.p7s) or in a PDF (/ByteRange, /Contents), made by this module or by any other
    /// tool: integrity (the message digest of the bytes and the RSA/ECDSA signature over the signed attributes, via
    /// BouncyCastle), the signing-certificate-v2 attribute when present, the chain to a trusted root (the roots of
    /// a PEM file, else the system's), and each certificate's validity at the signing time (the PDF's /M, the
    /// signing-time attribute, a time-stamp, else now). Revocation is not checked.
    /// </summary>
    public sealed class SignatureVerifier
    {
        /// <summary>Largest PDF read for a check.</summary>
        public const int MaxPdfBytes = 256 * 1024 * 1024;

        private static readonly Regex ByteRange = new Regex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", RegexOptions.CultureInvariant);
        private static readonly Regex ObjectHeader = new Regex(@"(\d+)\s+(\d+)\s+obj\b", RegexOptions.CultureInvariant | RegexOptions.RightToLeft);
        private static readonly DerObjectIdentifier SignatureTimeStampToken = new DerObjectIdentifier("1.2.840.113549.1.9.16.2.14");

        private readonly IReadOnlyList<BcCertificate>? _roots;

        /// <param name="trustedRoots">The only roots trusted; null: the system's roots.</param>
        public SignatureVerifier(IReadOnlyList<X509Certificate2>? trustedRoots)
        {
            _roots = trustedRoots?.Select(c => new X509CertificateParser().ReadCertificate(c.RawData)).ToList();
        }

        /// <summary>Every signature of the PDF file at <paramref name="path"/> (read as a regular file, bounded).</summary>
        public IReadOnlyList<SignatureCheck> CheckPdfFile(string path) => CheckPdf(path, SigningFiles.ReadAll(path, SigningFiles.MaxPdfBytes));

        /// <summary>The detached signature <paramref name="signaturePath"/> of the file <paramref name="path"/>.</summary>
        public SignatureCheck CheckDetachedFile(string path, string signaturePath)
        {
            byte[] signature = SigningFiles.ReadAll(signaturePath, SigningFiles.MaxSignatureBytes);
            using (FileStream content = SigningFiles.Open(path))
            {
                return CheckDetached(path, signaturePath, signature, content);
            }
        }

        /// <summary>Every signature of a PDF, in file order; SignatureNotFound when it has none.</summary>
        public IReadOnlyList<SignatureCheck> CheckPdf(string path, byte[] pdf)
        {
            string text = Encoding.GetEncoding("ISO-8859-1").GetString(pdf);
            var result = new List<SignatureCheck>();
            foreach (Match range in ByteRange.Matches(text))
            {
                var check = new SignatureCheck { Path = path, Format = "PAdES" };
                result.Add(check);
                long a = long.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture);
                long b = long.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture);
                long c = long.Parse(range.Groups[3].Value, CultureInfo.InvariantCulture);
                long d = long.Parse(range.Groups[4].Value, CultureInfo.InvariantCulture);
                if (a != 0 || b <= 0 || c <= b + 1 || c + d > pdf.Length || d < 0)
                {
                    Fail(check, SignatureFailure.Format, "its /ByteRange does not describe this file");
                    continue;
                }

                check.CoversWholeDocument = c + d == pdf.Length;
                string hole = text.Substring((int)b, (int)(c - b));
                if (!Regex.IsMatch(hole, @"^<[0-9A-Fa-f\s]*>$"))
                {
                    Fail(check, SignatureFailure.Format, "the gap in its /ByteRange is not the /Contents string");
                    continue;
                }

                int objectStart = ObjectHeader.Match(text, 0, range.Index) is Match header && header.Success ? header.Index : Math.Max(0, range.Index - 4096);
                int objectEnd = text.IndexOf("endobj", range.Index, StringComparison.Ordinal);
                string dictionary = text.Substring(objectStart, (objectEnd < 0 ? Math.Min(text.Length, range.Index + 4096) : objectEnd) - objectStart);
                check.SigningTime = PdfSignatureSyntax.ParsePdfTime(dictionary);
                check.FieldName = PdfSignatureSyntax.FieldNameOf(text, dictionary);

                byte[] cms = PdfSignatureSyntax.TrimDer(PdfSignatureSyntax.FromHex(hole.Substring(1, hole.Length - 2)));
                var signed = new byte[b + d];
                Buffer.BlockCopy(pdf, 0, signed, 0, (int)b);
                Buffer.BlockCopy(pdf, (int)c, signed, (int)b, (int)d);
                CheckCms(check, cms, new CmsProcessableByteArray(signed), check.SigningTime);
            }

            if (result.Count == 0)
            {
                throw new EkengException(SigningErrors.SignatureNotFound, $"'{path}' holds no signature (no /ByteRange).") { TargetObject = path };
            }

            return result;
        }

        /// <summary>A detached CMS signature (DER or PEM) of <paramref name="content"/>.</summary>
        public SignatureCheck CheckDetached(string path, string signaturePath, byte[] signature, Stream content)
        {
            var check = new SignatureCheck { Path = path, SignatureFile = signaturePath, Format = "CAdES" };
            string pem = Encoding.ASCII.GetString(signature, 0, Math.Min(signature.Length, 64));
            if (pem.Contains("-----BEGIN"))
            {
                string body = Regex.Replace(Encoding.ASCII.GetString(signature), @"-----[^-]+-----|\s", string.Empty);
                try
                {
                    signature = Convert.FromBase64String(body);
                }
                catch (FormatException)
                {
                    return Fail(check, SignatureFailure.Format, "the PEM signature is not base64");
                }
            }

            return CheckCms(check, signature, new StreamContent(content), null);
        }

        private SignatureCheck CheckCms(SignatureCheck check, byte[] cms, CmsTypedData content, DateTime? claimedTime)
        {
            CmsSignedData signed;
            SignerInformation? signer;
            List<BcCertificate> certificates;
            try
            {
                signed = new CmsSignedData(content, cms);
                signer = signed.GetSignerInfos().GetSigners().FirstOrDefault();
                certificates = signed.GetCertificates().EnumerateMatches(null).ToList();
            }
            catch (Exception e) when (e is CmsException || e is IOException || e is ArgumentException || e is InvalidCastException || e is Asn1Exception)
            {
                return Fail(check, SignatureFailure.Format, "it is not a CMS SignedData: " + e.Message);
            }

            if (signer is null)
            {
                return Fail(check, SignatureFailure.Format, "it has no signer");
            }

            BcCertificate? certificate = certificates.FirstOrDefault(c => signer.SignerID.Match(c));
            if (certificate is null)
            {
                return Fail(check, SignatureFailure.Format, "the signer's certificate is not in the signature");
            }

            var x509 = new X509Certificate2(certificate.GetEncoded());
            check.Certificate = x509;
            check.Subject = x509.Subject;
            check.Issuer = x509.Issuer;
            HolderIdentity holder;
            try
            {
                holder = HolderIdentity.FromSubject(x509.SubjectName.RawData);
            }
            catch (FormatException)
            {
                holder = HolderIdentity.Empty;
            }

            check.SignerName = holder.Name ?? x509.GetNameInfo(X509NameType.SimpleName, false);
            check.PublicServiceNumber = holder.PublicServiceNumber;

            Org.BouncyCastle.Asn1.Cms.Attribute? signingTime = signer.SignedAttributes?[CmsAttributes.SigningTime];
            if (claimedTime is null && signingTime != null)
            {
                claimedTime = Time.GetInstance(signingTime.AttrValues[0]).ToDateTime().ToUniversalTime();
            }

            check.SigningTime ??= claimedTime;
            Org.BouncyCastle.Asn1.Cms.Attribute? stamp = signer.UnsignedAttributes?[SignatureTimeStampToken];
            if (stamp != null)
            {
                try
                {
                    var token = new TimeStampToken(new CmsSignedData(stamp.AttrValues[0].GetEncoded()));
                    check.Timestamp = token.TimeStampInfo.GenTime.ToUniversalTime();
                    BcCertificate? tsa = token.GetCertificates().EnumerateMatches(null).FirstOrDefault(c => token.SignerID.Match(c));
                    if (tsa is null)
                    {
                        return Fail(check, SignatureFailure.Format, "its time-stamp does not carry the time-stamping authority's certificate");
                    }

                    try
                    {
                        token.Validate(tsa);
                    }
                    catch (TspValidationException e)
                    {
                        return Fail(check, SignatureFailure.Integrity, "its time-stamp is not intact: " + e.Message);
                    }

                    byte[] imprint = token.TimeStampInfo.GetMessageImprintDigest();
                    using (SHA256 sha = SHA256.Create())
                    {
                        if (!imprint.SequenceEqual(sha.ComputeHash(signer.GetSignature())))
                        {
                            return Fail(check, SignatureFailure.Integrity, "its time-stamp is not over this signature");
                        }
                    }
                }
                catch (Exception e) when (e is TspException || e is CmsException || e is IOException || e is ArgumentException)
                {
                    return Fail(check, SignatureFailure.Format, "its time-stamp cannot be read: " + e.Message);
                }
            }

            bool intact;
            try
            {
                intact = signer.Verify(certificate.GetPublicKey());
            }
            catch (Exception e) when (e is CmsException || e is InvalidOperationException || e is ArgumentException || e is Org.BouncyCastle.Security.SecurityUtilityException)
            {
                return Fail(check, SignatureFailure.Integrity, e.Message);
            }

            if (!intact)
            {
                return Fail(check, SignatureFailure.Integrity, "the signed content or attributes changed since it was signed (digest or signature mismatch)");
            }

            Org.BouncyCastle.Asn1.Cms.Attribute? essV2 = signer.SignedAttributes?[PkcsObjectIdentifiers.IdAASigningCertificateV2];
            if (essV2 != null)
            {
                EssCertIDv2 first = SigningCertificateV2.GetInstance(essV2.AttrValues[0]).GetCerts()[0];
                if (first.HashAlgorithm.Algorithm.Id == "2.16.840.1.101.3.4.2.1")
                {
                    using (SHA256 sha = SHA256.Create())
                    {
                        if (!first.GetCertHash().SequenceEqual(sha.ComputeHash(x509.RawData)))
                        {
                            return Fail(check, SignatureFailure.Integrity, "its signing-certificate-v2 attribute names another certificate");
                        }
                    }
                }
            }

            DateTime at = check.Timestamp ?? claimedTime ?? DateTime.UtcNow;
            return CheckChain(check, certificate, certificates, at);
        }

        private SignatureCheck CheckChain(SignatureCheck check, BcCertificate signer, List<BcCertificate> bundled, DateTime at)
        {
            if (_roots != null)
            {
                BcCertificate current = signer;
                for (int depth = 0; depth < 10; depth++)
                {
                    if (!current.IsValid(at))
                    {
                        return Fail(check, SignatureFailure.Validity, $"the certificate '{current.SubjectDN}' was not valid at the signing time {at:u} ({current.NotBefore:u} to {current.NotAfter:u})");
                    }

                    BcCertificate? root = _roots.FirstOrDefault(r => r.SubjectDN.Equivalent(current.IssuerDN) && SignedBy(current, r));
                    if (root != null || _roots.Any(r => r.Equals(current)))
                    {
                        BcCertificate anchor = root ?? current;
                        return anchor.IsValid(at) ? check : Fail(check, SignatureFailure.Validity, $"the root '{anchor.SubjectDN}' was not valid at the signing time {at:u}");
                    }

                    BcCertificate? issuer = bundled.FirstOrDefault(c => !c.Equals(current) && c.SubjectDN.Equivalent(current.IssuerDN) && SignedBy(current, c));
                    if (issuer is null)
                    {
                        return Fail(check, SignatureFailure.Chain, $"the certificate '{current.SubjectDN}' is not issued by a trusted root (issuer '{current.IssuerDN}')");
                    }

                    current = issuer;
                }

                return Fail(check, SignatureFailure.Chain, "the certificate chain is too long");
            }

            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationTime = at.ToLocalTime();
                foreach (BcCertificate c in bundled)
                {
                    chain.ChainPolicy.ExtraStore.Add(new X509Certificate2(c.GetEncoded()));
                }

                if (chain.Build(check.Certificate!))
                {
                    return check;
                }

                X509ChainStatusFlags flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (f, s) => f | s.Status);
                bool timeOnly = (flags & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) == X509ChainStatusFlags.NoError;
                string statuses = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                return Fail(check, timeOnly ? SignatureFailure.Validity : SignatureFailure.Chain, $"the system's roots do not accept the chain at {at:u}: {statuses}");
            }
        }

        private static bool SignedBy(BcCertificate certificate, BcCertificate issuer)
        {
            try
            {
                certificate.Verify(issuer.GetPublicKey());
                return true;
            }
            catch (Exception e) when (e is CertificateException || e is Org.BouncyCastle.Security.InvalidKeyException || e is Org.BouncyCastle.Security.SignatureException || e is InvalidOperationException || e is ArgumentException)
            {
                return false;
            }
        }

        private static SignatureCheck Fail(SignatureCheck check, SignatureFailure reason, string detail)
        {
            check.Reason = reason;
            check.Detail = detail;
            return check;
        }
    }
}
