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
