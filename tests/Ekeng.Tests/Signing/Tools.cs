using System.Diagnostics;
using PdfSharp.Pdf;

namespace Ekeng.Tests.Signing;

/// <summary>poppler's pdfsig, OpenSSL and NSS's certutil as the independent judges of the signatures, and test PDFs.</summary>
internal static class Tools
{
    public static (int Exit, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    public static void Require(string tool, string package) => Requires.InstalledFile("/usr/bin/" + tool, package);

    /// <summary>A one-page PDF written by PDFsharp (no fonts needed).</summary>
    public static byte[] OnePagePdf()
    {
        using var document = new PdfDocument();
        document.AddPage();
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>A one-page PDF 1.5 whose cross-reference section is a cross-reference STREAM (/Type /XRef, no filter).</summary>
    public static byte[] XrefStreamPdf()
    {
        var text = new System.Text.StringBuilder("%PDF-1.5\n");
        var offsets = new List<int>();
        string[] bodies =
        [
            "<</Type /Catalog /Pages 2 0 R>>",
            "<</Type /Pages /Kids [3 0 R] /Count 1>>",
            "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>>",
        ];
        for (int i = 0; i < bodies.Length; i++)
        {
            offsets.Add(text.Length);
            text.Append($"{i + 1} 0 obj\n{bodies[i]}\nendobj\n");
        }

        int xrefOffset = text.Length;
        offsets.Add(xrefOffset);
        var entries = new List<byte>();
        entries.AddRange([0, 0, 0, 0, 0, 0xFF, 0xFF]);
        foreach (int o in offsets)
        {
            entries.AddRange([1, (byte)(o >> 24), (byte)(o >> 16), (byte)(o >> 8), (byte)o, 0, 0]);
        }

        text.Append($"4 0 obj\n<</Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length {entries.Count}>>\nstream\n");
        byte[] head = System.Text.Encoding.Latin1.GetBytes(text.ToString());
        byte[] tail = System.Text.Encoding.Latin1.GetBytes($"\nendstream\nendobj\nstartxref\n{xrefOffset}\n%%EOF\n");
        return [.. head, .. entries, .. tail];
    }

    /// <summary>An NSS database (sql:) in which <paramref name="caPem"/> is a trusted CA, for pdfsig -nssdir.</summary>
    public static string NssDbTrusting(string folder, string caPem)
    {
        string db = Path.Combine(folder, "nssdb");
        Directory.CreateDirectory(db);
        string ca = Path.Combine(folder, "ca.pem");
        File.WriteAllText(ca, caPem);
        Assert.Equal(0, Run("certutil", "-N", "--empty-password", "-d", "sql:" + db).Exit);
        Assert.Equal(0, Run("certutil", "-A", "-n", "Ekeng test CA", "-t", "CT,C,C", "-i", ca, "-d", "sql:" + db).Exit);
        return db;
    }
}
