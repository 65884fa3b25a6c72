using System.Text.RegularExpressions;
using Ekeng.Diagnostics;

namespace Ekeng.Tests.Meta;

/// <summary>
/// The error catalogue (<see cref="EkengErrors"/>, which README.md's table "Errors scripts can rely on" lists row for
/// row: ErrorCatalogueTests) is a promise to scripts: every id in it is produced by at least one test and is thrown by
/// the code.
/// <para>
/// What "a test raises the id" means here, concretely: on a line of a test source (tests/**/*.ps1, *.psm1, *.cs;
/// not bin/obj, not this file nor ErrorCatalogueTests.cs) that is an assertion or its data — the line holds
/// <c>Should</c>, <c>Assert.</c>, <c>FullyQualifiedErrorId</c>, <c>ErrorId</c>, <c>InlineData</c> (a Theory row whose
/// test asserts the id) or <c>Test-CleanError</c> (the Pester helper that asserts an ErrorRecord's id) — the id stands
/// alone as a literal or the head of a FullyQualifiedErrorId: 'Id', "Id", 'Id,*', 'ID=Id,Ekeng…' (a record printed by
/// a child process), or is named as a catalogue entry (<c>PinErrors.Id</c>). An id inside a
/// regex alternation ('A|B' proves neither), a comment, a test name or a message text does not count.
/// </para>
/// <para>
/// What "the code throws it" means: code in src/ (Core, PowerShell, Tls) outside the catalogue's own files names the
/// entry (<c>PinErrors.PinIncorrect</c>): at a throw site, in a rule table, or as the session's error set.
/// </para>
/// </summary>
public sealed class ErrorTableTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static readonly Regex AssertionContext = new(@"Should|Assert\.|FullyQualifiedErrorId|ErrorId|InlineData|Test-CleanError", RegexOptions.Compiled);

    internal sealed record Row(int Line, IReadOnlyList<string> Ids, IReadOnlyList<string> Categories, bool Open);

    /// <summary>The rows of README.md's error table: ids (backticked, first cell) and categories (second cell).</summary>
    internal static IReadOnlyList<Row> ReadTable(string readme)
    {
        string[] lines = File.ReadAllLines(readme);
        int start = Array.FindIndex(lines, l => l.StartsWith("## Errors scripts can rely on", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no '## Errors scripts can rely on' section");
        var rows = new List<Row>();
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (!lines[i].StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            string[] cells = lines[i].Split('|');
            var ids = Regex.Matches(cells[1], "`([A-Za-z0-9]+)`").Select(m => m.Groups[1].Value).ToList();
            var categories = cells[2].Split(',').Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
            bool open = categories.Remove("…") | categories.RemoveAll(c => c == "...") > 0;
            rows.Add(new Row(i + 1, ids, categories, open || categories.Count == 0));
        }

        return rows;
    }

    private static IEnumerable<string> TestSources() =>
        Directory.EnumerateFiles(Path.Combine(Repo, "tests"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ps1", StringComparison.Ordinal) || f.EndsWith(".psm1", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetFileName(f) != "ErrorTableTests.cs" && Path.GetFileName(f) != "ErrorCatalogueTests.cs");

    /// <summary>Whether <paramref name="line"/> asserts <paramref name="id"/> by the rule in the class summary.</summary>
    internal static bool Raises(string line, string id) =>
        AssertionContext.IsMatch(line) && (Regex.IsMatch(line, $@"['""=]{id}['"",]") || Regex.IsMatch(line, $@"\b[A-Za-z]+Errors\.{id}\b"));

    /// <summary>
    /// Ids no test produces yet (none of the rigs gives them, or nobody wrote the test). The list only shrinks:
    /// <see cref="The_Known_Gaps_Are_Real"/> fails when one of them is asserted after all, or leaves the catalogue.
    /// </summary>
    internal static readonly string[] NotYetRaisedByATest =
    {
        // libp11 0.4.12 starts its engine lazily: ENGINE_init succeeds whatever MODULE_PATH names (a missing library
        // is refused before, Pkcs11ModuleNotFound); only UI_create_method failing (out of memory) is left.
        "TlsEngineInitFailed",

        // libcrypto.so.3 absent while .NET's own crypto works (a host with OpenSSL 1.1 only): not this machine.
        "OpenSslMissing",

        // .NET before 8 off Windows (PowerShell 7.2/7.3), or a non-Linux Unix: not this machine.
        "ClientCertificateUnsupported",
    };

    [Fact]
    public void The_Table_Is_Read()
    {
        var rows = ReadTable(Path.Combine(Repo, "README.md"));
        Assert.True(rows.Count >= 20, $"only {rows.Count} rows were read from README.md's error table");
        Assert.Contains(rows, r => r.Ids.Contains("PcscServiceUnavailable") && r.Categories.Contains("ResourceUnavailable"));
        Assert.Contains(rows, r => r.Ids.Contains("ConfirmationRequired"));
    }

    [Theory]
    [InlineData("$err.FullyQualifiedErrorId | Should -Be 'TokenBusy,Ekeng.PowerShell.Commands.SetEkengPinCommand'", "TokenBusy", true)]
    [InlineData("Assert.Equal(\"TokenBusy\", e.ErrorId);", "TokenBusy", true)]
    [InlineData("[InlineData(\"123\", \"PukLengthOutOfRange\")]", "PukLengthOutOfRange", true)]
    [InlineData("# TokenBusy is never raised here", "TokenBusy", false)]
    [InlineData("Write-Host 'TokenBusy'", "TokenBusy", false)]
    [InlineData("Assert.Equal(\"TokenBusyNot\", e.ErrorId);", "TokenBusy", false)]
    [InlineData("$e.Message | Should -Match 'PinLocked'", "PinLockedAgain", false)]
    [InlineData("$text | Should -Match 'ID=(ClientCertificateRefused|TlsHandshakeFailed)'", "TlsHandshakeFailed", false)]
    [InlineData("$text | Should -Match 'ID=PortalNotReady,Ekeng.PowerShell.Commands.RegisterEkengCrmCommand'", "PortalNotReady", true)]
    [InlineData("Assert.Equal(FeeErrors.OrderNotFound.Id, e.ErrorId);", "OrderNotFound", true)]
    [InlineData("Test-CleanError $e[0] 'PaymentExpired' 'InvokeEkengFeePaymentCommand'", "PaymentExpired", true)]
    [InlineData("Assert.Equal(PinErrors.PinIncorrect.Id, e.ErrorId);", "PinIncorrect", true)]
    [InlineData("Assert.Equal(PinErrors.PinIncorrectly.Id, e.ErrorId);", "PinIncorrect", false)]
    public void The_Rule_For_Raises(string line, string id, bool expected) => Assert.Equal(expected, Raises(line, id));

    private static List<string> RaisedLines() => TestSources().SelectMany(File.ReadLines).Where(l => AssertionContext.IsMatch(l)).ToList();

    [Fact]
    public void Every_Id_Of_The_Catalogue_Is_Raised_By_A_Test()
    {
        var lines = RaisedLines();
        var unraised = EkengErrors.All.Select(e => e.Id).Except(NotYetRaisedByATest).Where(id => !lines.Any(l => Raises(l, id))).ToList();
        Assert.True(unraised.Count == 0, "catalogue (README) error ids no test asserts: " + string.Join(", ", unraised));
    }

    [Fact]
    public void The_Known_Gaps_Are_Real()
    {
        var lines = RaisedLines();
        var stale = NotYetRaisedByATest.Where(id => EkengErrors.Find(id) is null || lines.Any(l => Raises(l, id))).ToList();
        Assert.True(stale.Count == 0, "no longer gaps (asserted now, or not in the catalogue): remove from NotYetRaisedByATest: " + string.Join(", ", stale));
    }

    [Fact]
    public void Every_Id_Of_The_Catalogue_Is_Thrown_By_The_Code()
    {
        Func<EkengError, bool> used = ErrorCatalogueTests.UsedByCode();
        var missing = EkengErrors.All.Where(e => !used(e)).Select(e => e.Id).ToList();
        Assert.True(missing.Count == 0, "catalogue entries the module never throws: " + string.Join(", ", missing));
    }

    [Fact]
    public void One_Id_Per_Meaning_No_Synonym_Of_A_Table_Id_Is_Thrown()
    {
        // Ids that once said the same as a table id under another name; the table's name is the one thrown.
        var synonyms = new Dictionary<string, string> { ["MoreThanOneCard"] = "MultipleCards" };
        var thrown = synonyms.Where(s => EkengErrors.Find(s.Key) != null).Select(s => $"{s.Key} (say {s.Value})").ToList();
        Assert.True(thrown.Count == 0, "synonyms thrown: " + string.Join(", ", thrown));
    }
}
