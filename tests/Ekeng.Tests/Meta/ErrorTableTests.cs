using System.Text.RegularExpressions;

namespace Ekeng.Tests.Meta;

/// <summary>
/// The README's error table ("Errors scripts can rely on") is a promise to scripts: every id in it is produced by
/// at least one test, is thrown by the code, and carries the category the table gives it.
/// <para>
/// What "a test raises the id" means here, concretely: on a line of a test source (tests/**/*.ps1, *.psm1, *.cs;
/// not bin/obj, not this file) that is an assertion or its data — the line holds <c>Should</c>, <c>Assert.</c>,
/// <c>FullyQualifiedErrorId</c>, <c>ErrorId</c>, <c>InlineData</c> (a Theory row whose test asserts the id) or
/// <c>Test-CleanError</c> (the Pester helper that asserts an ErrorRecord's id) — the id stands alone as a literal
/// or the head of a FullyQualifiedErrorId: 'Id', "Id", 'Id,*', 'ID=Id,Ekeng…' (a record printed by a child
/// process), or is named as <c>FeeErrorIds.Id</c>. An id inside a regex alternation ('A|B' proves neither), a
/// comment, a test name or a message text does not count.
/// </para>
/// <para>
/// What "the code states the category" means: a string literal id directly followed by <c>EkengErrorKind.X</c>
/// (<c>new EkengException("Id", EkengErrorKind.X, …)</c>, a PIN failure rule) or <c>FeeErrorIds.Id,
/// EkengErrorKind.X</c> in src/. The table's category cell lists the categories of its row; when it has as many
/// entries as the row has ids and no "…", they pair by position; otherwise each id's category must be one of the
/// listed ones, and a "…" in the cell allows categories it does not list.
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
            .Where(f => Path.GetFileName(f) != "ErrorTableTests.cs");

    /// <summary>Whether <paramref name="line"/> asserts <paramref name="id"/> by the rule in the class summary.</summary>
    internal static bool Raises(string line, string id) =>
        AssertionContext.IsMatch(line) && (Regex.IsMatch(line, $@"['""=]{id}['"",]") || Regex.IsMatch(line, $@"\bFeeErrorIds\.{id}\b"));

    private static Dictionary<string, HashSet<string>> CodeCategories()
    {
        var literal = new Regex(@"""([A-Za-z0-9]+)""\s*,\s*EkengErrorKind\.(\w+)");
        var fee = new Regex(@"FeeErrorIds\.([A-Za-z0-9]+)\s*,\s*EkengErrorKind\.(\w+)");
        var kinds = new Dictionary<string, HashSet<string>>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Repo, "src"), "*.cs", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            foreach (Match m in literal.Matches(text).Concat(fee.Matches(text)))
            {
                if (!kinds.TryGetValue(m.Groups[1].Value, out var set))
                {
                    kinds[m.Groups[1].Value] = set = new HashSet<string>();
                }

                set.Add(m.Groups[2].Value);
            }
        }

        return kinds;
    }

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
    [InlineData("Assert.Equal(FeeErrorIds.OrderNotFound, e.ErrorId);", "OrderNotFound", true)]
    [InlineData("Test-CleanError $e[0] 'PaymentExpired' 'InvokeEkengFeePaymentCommand'", "PaymentExpired", true)]
    public void The_Rule_For_Raises(string line, string id, bool expected) => Assert.Equal(expected, Raises(line, id));

    [Fact]
    public void Every_Id_In_The_Readme_Error_Table_Is_Raised_By_A_Test()
    {
        var ids = ReadTable(Path.Combine(Repo, "README.md")).SelectMany(r => r.Ids).Distinct().ToList();
        var lines = TestSources().SelectMany(File.ReadLines).Where(l => AssertionContext.IsMatch(l)).ToList();
        var unraised = ids.Where(id => !lines.Any(l => Raises(l, id))).ToList();
        Assert.True(unraised.Count == 0, "README error ids no test asserts: " + string.Join(", ", unraised));
    }

    [Fact]
    public void Every_Id_In_The_Readme_Error_Table_Is_Thrown_By_The_Code()
    {
        var ids = ReadTable(Path.Combine(Repo, "README.md")).SelectMany(r => r.Ids).Distinct().ToList();
        string code = string.Join("\n", Directory.EnumerateFiles(Path.Combine(Repo, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Ekeng.Sandbox{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText));
        // A literal, a FeeErrorIds constant, the HTTP session's prefix ("Crm", EkengSessionOptions.ErrorPrefix) +
        // a literal suffix, or PinService's secret prefix ("Puk", "CurrentPin") + "LengthOutOfRange"/"NotDigits".
        string prefix = Regex.Match(code, @"ErrorPrefix \{ get; set; \} = ""(\w+)""").Groups[1].Value;
        var composed = Regex.Matches(code, @"ErrorPrefix \+ ""(\w+)""").Select(m => prefix + m.Groups[1].Value).ToHashSet();
        var missing = ids.Where(id => !code.Contains($"\"{id}\"", StringComparison.Ordinal) && !code.Contains($"FeeErrorIds.{id}", StringComparison.Ordinal)
            && !composed.Contains(id) && !Regex.IsMatch(id, "^(Puk|CurrentPin)(LengthOutOfRange|NotDigits)$")).ToList();
        Assert.True(missing.Count == 0, "README error ids the module never throws: " + string.Join(", ", missing));
    }

    [Fact]
    public void Each_Id_Has_The_Category_The_Table_Gives_It()
    {
        var code = CodeCategories();
        var wrong = new List<string>();
        foreach (Row row in ReadTable(Path.Combine(Repo, "README.md")))
        {
            bool positional = !row.Open && row.Categories.Count == row.Ids.Count && row.Ids.Count > 1;
            for (int i = 0; i < row.Ids.Count; i++)
            {
                if (!code.TryGetValue(row.Ids[i], out var kinds))
                {
                    continue;
                }

                foreach (string kind in kinds)
                {
                    bool ok = positional ? row.Categories[i] == kind : row.Categories.Contains(kind) || row.Open;
                    if (!ok)
                    {
                        wrong.Add($"{row.Ids[i]}: the code says {kind}, README.md:{row.Line} says {string.Join(", ", row.Categories)}");
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Fact]
    public void One_Id_Per_Meaning_No_Synonym_Of_A_Table_Id_Is_Thrown()
    {
        // Ids that once said the same as a table id under another name; the table's name is the one thrown.
        var synonyms = new Dictionary<string, string> { ["MoreThanOneCard"] = "MultipleCards" };
        string code = string.Join("\n", Directory.EnumerateFiles(Path.Combine(Repo, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        var thrown = synonyms.Where(s => code.Contains($"\"{s.Key}\"", StringComparison.Ordinal)).Select(s => $"{s.Key} (say {s.Value})").ToList();
        Assert.True(thrown.Count == 0, "synonyms thrown: " + string.Join(", ", thrown));
    }
}
