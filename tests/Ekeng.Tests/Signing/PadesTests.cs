using Ekeng.Diagnostics;
using Ekeng.Signing;

namespace Ekeng.Tests.Signing;

/// <summary>PAdES B-B in an incremental update, judged by poppler's pdfsig and by the module's own verifier.</summary>
public sealed class PadesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ekeng-pades-").FullName;
    private readonly SoftwareSigner _signer = new();

    public void Dispose() => Directory.Delete(_dir, true);

    private SignedFile Sign(string input, string output, string? reason = "Approved", string? location = "Yerevan")
    {
        var service = new SigningService(null, _signer);
        DateTime now = DateTime.UtcNow;
        SigningJob job = service.Prepare(input, output, false, now, reason, location);
        using SigningSession session = service.Open(_signer.Certificate, new System.Security.SecureString());
        return service.Sign(session, job, now);
    }

    [SkippableFact]
    public void PdfsigSaysValidAndTrustedAndNamesTheHolder()
    {
        Tools.Require("pdfsig", "poppler-utils");
        Tools.Require("certutil", "libnss3-tools");
        string input = Path.Combine(_dir, "a.pdf");
        File.WriteAllBytes(input, Tools.OnePagePdf());
        SignedFile signed = Sign(input, Path.Combine(_dir, "a.signed.pdf"));

        string db = Tools.NssDbTrusting(_dir, _signer.CaPem);
        (int exit, string output) = Tools.Run("pdfsig", "-nssdir", "sql:" + db, signed.SignatureFile);
        Assert.True(exit == 0, output);
        Assert.Contains("Signature is Valid.", output);
        Assert.Contains("Certificate is Trusted.", output);
        Assert.Contains("Signer Certificate Common Name: ANI PETROSYAN 1234567890", output);
        Assert.Contains("ETSI.CAdES.detached", output);
        Assert.Contains("Total document signed", output);

        SignatureCheck check = Assert.Single(new SignatureVerifier([_signer.Ca]).CheckPdf(signed.SignatureFile, File.ReadAllBytes(signed.SignatureFile)));
        Assert.True(check.Valid, check.Detail);
        Assert.Equal("1234567890", check.PublicServiceNumber);
        Assert.Equal("ANI PETROSYAN", check.SignerName);
        Assert.True(check.CoversWholeDocument);
        Assert.NotNull(check.SigningTime);
        Assert.InRange(check.SigningTime!.Value, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(1, _signer.Signed);
    }

    [SkippableFact]
    public void AVisibleSignatureShowsTheSignerOnTheFirstPageAndStaysValid()
    {
        Tools.Require("pdfsig", "poppler-utils");
        Tools.Require("pdftoppm", "poppler-utils");
        string input = Path.Combine(_dir, "v.pdf");
        File.WriteAllBytes(input, Tools.OnePagePdf());
        var service = new SigningService(null, _signer);
        DateTime now = DateTime.UtcNow;
        SigningJob job = service.Prepare(input, Path.Combine(_dir, "v.signed.pdf"), false, now, "Approved", null, visible: true);
        SignedFile signed;
        using (SigningSession session = service.Open(_signer.Certificate, new System.Security.SecureString()))
        {
            signed = service.Sign(session, job, now);
        }

        (int exit, string output) = Tools.Run("pdfsig", signed.SignatureFile);
        Assert.True(exit == 0 && output.Contains("Signature is Valid."), output);
        string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(signed.SignatureFile));
        Assert.Contains("/Rect [36 36 300 96]", text);
        Assert.Contains("(Digitally signed by ANI PETROSYAN) Tj", text);
        Assert.Contains("(Public service number 1234567890) Tj", text);

        // Rendered, the box holds ink (the same page unsigned is blank there).
        static int Ink(string pdf, string prefix)
        {
            Assert.Equal(0, Tools.Run("pdftoppm", "-r", "72", "-gray", "-x", "36", "-y", "0", "-W", "264", "-H", "842", pdf, prefix).Exit);
            string pgm = Directory.GetFiles(Path.GetDirectoryName(prefix)!, Path.GetFileName(prefix) + "*.pgm").Single();
            byte[] bytes = File.ReadAllBytes(pgm);
            int header = 0, newlines = 0;
            while (newlines < 3)
            {
                if (bytes[header++] == '\n')
                {
                    newlines++;
                }
            }

            return bytes.Skip(header).Count(b => b < 128);
        }

        Assert.Equal(0, Ink(input, Path.Combine(_dir, "plain")));
        Assert.True(Ink(signed.SignatureFile, Path.Combine(_dir, "signed")) > 100);
    }

    [SkippableFact]
    public void OneByteChangedIsNotValid()
    {
        Tools.Require("pdfsig", "poppler-utils");
        string input = Path.Combine(_dir, "a.pdf");
        File.WriteAllBytes(input, Tools.OnePagePdf());
        SignedFile signed = Sign(input, Path.Combine(_dir, "a.signed.pdf"));
        byte[] bytes = File.ReadAllBytes(signed.SignatureFile);
        int at = Array.IndexOf(bytes, (byte)'/', 20);
        bytes[at + 1] ^= 0x01;
        File.WriteAllBytes(signed.SignatureFile, bytes);

        (_, string output) = Tools.Run("pdfsig", signed.SignatureFile);
        Assert.DoesNotContain("Signature is Valid.", output);
        Assert.True(output.Contains("Signature is Invalid.") || output.Contains("Digest Mismatch"), output);
        SignatureCheck check = Assert.Single(new SignatureVerifier([_signer.Ca]).CheckPdf(signed.SignatureFile, bytes));
        Assert.False(check.Valid);
        Assert.Equal(SignatureFailure.Integrity, check.Reason);
    }

    [SkippableFact]
    public void ASecondSignatureKeepsTheFirstValid()
    {
        Tools.Require("pdfsig", "poppler-utils");
        string input = Path.Combine(_dir, "a.pdf");
        File.WriteAllBytes(input, Tools.OnePagePdf());
        SignedFile first = Sign(input, Path.Combine(_dir, "a.signed.pdf"));
        byte[] once = File.ReadAllBytes(first.SignatureFile);
        SignedFile second = Sign(first.SignatureFile, Path.Combine(_dir, "a.twice.pdf"), reason: "Բարի", location: null);
        byte[] twice = File.ReadAllBytes(second.SignatureFile);

        Assert.Equal(once, twice[..once.Length]);
        Assert.Equal("Signature2", second.FieldName);
        (_, string output) = Tools.Run("pdfsig", second.SignatureFile);
        Assert.Contains("Signature #1", output);
        Assert.Contains("Signature #2", output);
        Assert.Equal(2, output.Split("Signature is Valid.").Length - 1);

        IReadOnlyList<SignatureCheck> checks = new SignatureVerifier([_signer.Ca]).CheckPdf(second.SignatureFile, twice);
        Assert.Equal(2, checks.Count);
        Assert.All(checks, c => Assert.True(c.Valid, c.Detail));
        Assert.False(checks[0].CoversWholeDocument);
        Assert.True(checks[1].CoversWholeDocument);
        Assert.Equal(["Signature1", "Signature2"], checks.Select(c => c.FieldName));
    }

    [SkippableFact]
    public void PdfsWithACrossReferenceStreamOrFromCairoAreSignedToo()
    {
        Tools.Require("pdfsig", "poppler-utils");
        Tools.Require("pdftocairo", "poppler-utils");
        string xref = Path.Combine(_dir, "xref.pdf");
        File.WriteAllBytes(xref, Tools.XrefStreamPdf());
        Assert.Contains("Page size", Tools.Run("pdfinfo", xref).Output);
        string cairo = Path.Combine(_dir, "cairo.pdf");
        File.WriteAllBytes(Path.Combine(_dir, "plain.pdf"), Tools.OnePagePdf());
        Assert.Equal(0, Tools.Run("pdftocairo", "-pdf", Path.Combine(_dir, "plain.pdf"), cairo).Exit);
        foreach (string input in new[] { xref, cairo })
        {
            SignedFile once = Sign(input, input + ".signed.pdf");
            SignedFile twice = Sign(once.SignatureFile, input + ".twice.pdf");
            (_, string output) = Tools.Run("pdfsig", twice.SignatureFile);
            Assert.True(output.Split("Signature is Valid.").Length - 1 == 2, output);
            Assert.All(new SignatureVerifier([_signer.Ca]).CheckPdf(twice.SignatureFile, File.ReadAllBytes(twice.SignatureFile)), c => Assert.True(c.Valid, c.Detail));
        }
    }

    [Fact]
    public void AnEncryptedPdfIsRefusedBeforeTheToken()
    {
        string input = Path.Combine(_dir, "e.pdf");
        byte[] pdf = Tools.OnePagePdf();
        string text = System.Text.Encoding.Latin1.GetString(pdf).Replace("trailer\n<<", "trailer\n<</Encrypt 99 0 R ");
        File.WriteAllBytes(input, System.Text.Encoding.Latin1.GetBytes(text));
        var service = new SigningService(null, _signer);
        EkengException e = Assert.Throws<EkengException>(() => service.Prepare(input, Path.Combine(_dir, "e.signed.pdf"), false, DateTime.UtcNow, null, null));
        Assert.Equal("PdfEncrypted", e.ErrorId);
        Assert.Equal(0, _signer.Opened);
        Assert.False(File.Exists(Path.Combine(_dir, "e.signed.pdf")));
    }

    [Theory]
    [InlineData("not a pdf at all")]
    [InlineData("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")]
    public void ADamagedPdfIsRefusedBeforeTheToken(string content)
    {
        string input = Path.Combine(_dir, "d.pdf");
        File.WriteAllText(input, content);
        var service = new SigningService(null, _signer);
        EkengException e = Assert.Throws<EkengException>(() => service.Prepare(input, Path.Combine(_dir, "d.signed.pdf"), false, DateTime.UtcNow, null, null));
        Assert.Equal("PdfDamaged", e.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidData, e.Kind);
        Assert.Equal(0, _signer.Opened);
    }

    [Fact]
    public void ATruncatedPdfIsRefused()
    {
        string input = Path.Combine(_dir, "t.pdf");
        byte[] pdf = Tools.OnePagePdf();
        File.WriteAllBytes(input, pdf[..(pdf.Length / 2)]);
        var service = new SigningService(null, _signer);
        EkengException e = Assert.Throws<EkengException>(() => service.Prepare(input, Path.Combine(_dir, "t.signed.pdf"), false, DateTime.UtcNow, null, null));
        Assert.Equal("PdfDamaged", e.ErrorId);
    }

    [Fact]
    public void AnExistingOutputIsKept()
    {
        string input = Path.Combine(_dir, "a.pdf");
        File.WriteAllBytes(input, Tools.OnePagePdf());
        string output = Path.Combine(_dir, "a.signed.pdf");
        File.WriteAllText(output, "mine");
        var service = new SigningService(null, _signer);
        EkengException e = Assert.Throws<EkengException>(() => service.Prepare(input, output, false, DateTime.UtcNow, null, null));
        Assert.Equal("SignatureFileExists", e.ErrorId);
        Assert.Equal("mine", File.ReadAllText(output));
    }

    [Fact]
    public void TheSignatureDictionaryIsPadesBaseline()
    {
        string input = Path.Combine(_dir, "a.pdf");
        File.WriteAllBytes(input, Tools.OnePagePdf());
        SignedFile signed = Sign(input, Path.Combine(_dir, "a.signed.pdf"));
        string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(signed.SignatureFile));
        Assert.Contains("/SubFilter /ETSI.CAdES.detached", text);
        Assert.Matches(@"/M \(D:\d{14}\+00'00'\)", text);
        Assert.Matches(@"/ByteRange \[0 \d+ \d+ \d+ *\]", text);

        // The CMS: no signing-time (PAdES puts the time in /M), signing-certificate-v2 present.
        SignatureCheck check = new SignatureVerifier([_signer.Ca]).CheckPdf(signed.SignatureFile, File.ReadAllBytes(signed.SignatureFile))[0];
        Assert.True(check.Valid, check.Detail);
        var m = System.Text.RegularExpressions.Regex.Match(text, @"/Contents <([0-9a-f]+)>");
        byte[] cms = PdfSignatureSyntax.TrimDer(PdfSignatureSyntax.FromHex(m.Groups[1].Value));
        var signer = new Org.BouncyCastle.Cms.CmsSignedData(cms).GetSignerInfos().GetSigners().Single();
        Assert.Null(signer.SignedAttributes[Org.BouncyCastle.Asn1.Cms.CmsAttributes.SigningTime]);
        Assert.NotNull(signer.SignedAttributes[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASigningCertificateV2]);
    }
}
