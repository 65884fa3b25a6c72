using System.Management.Automation;
using System.Text.RegularExpressions;
using Ekeng.Diagnostics;
using Ekeng.Pkcs11;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.Tests.Meta;

/// <summary>
/// The error catalogue (<see cref="EkengErrors"/>: one class of <see cref="EkengError"/> entries per area) is the one
/// owner of every error id, its category and its recommended action. README.md's table "Errors scripts can rely on"
/// is the catalogue, row for row: the same ids, the same categories in the same order, and the action word for word.
/// No throw site in src/ (Core, PowerShell, Tls) names an id by a string literal.
/// </summary>
public sealed class ErrorCatalogueTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    internal sealed record TableRow(int Line, string Id, IReadOnlyList<string> Categories, string Action);

    /// <summary>README.md's error table: one id per row; the action cell with <c>\|</c> read as <c>|</c>.</summary>
    internal static IReadOnlyList<TableRow> ReadTable()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Repo, "README.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("## Errors scripts can rely on", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no '## Errors scripts can rely on' section");
        var rows = new List<TableRow>();
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            Match m = Regex.Match(lines[i], @"^\| `([A-Za-z0-9]+)` \| ([^|]+) \| ((?:[^|\\]|\\.)+) \|$");
            if (lines[i].StartsWith("| `", StringComparison.Ordinal))
            {
                Assert.True(m.Success, $"README.md:{i + 1} is not a row '| `Id` | Category[, Category] | What to do |': {lines[i]}");
                var categories = m.Groups[2].Value.Split(',').Select(c => c.Trim()).ToList();
                rows.Add(new TableRow(i + 1, m.Groups[1].Value, categories, m.Groups[3].Value.Trim().Replace("\\|", "|")));
            }
        }

        return rows;
    }

    /// <summary>The source files of the catalogue areas (one type per file: src/Ekeng.Core/**/&lt;Area&gt;.cs).</summary>
    internal static IReadOnlyDictionary<Type, string> AreaFiles() =>
        EkengErrors.Areas.ToDictionary(t => t, t =>
            Directory.EnumerateFiles(Path.Combine(Repo, "src", "Ekeng.Core"), t.Name + ".cs", SearchOption.AllDirectories).Single());

    /// <summary>The C# sources whose throw sites must use the catalogue: Core, PowerShell and Tls, not bin/obj.</summary>
    internal static IEnumerable<string> ThrowingSources() =>
        new[] { "Ekeng.Core", "Ekeng.PowerShell", "Ekeng.Tls" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(Repo, "src", p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));

    /// <summary>Each entry with the way code names it (<c>PinErrors.PinIncorrect</c>).</summary>
    internal static IEnumerable<(EkengError Entry, string Name)> Entries() =>
        EkengErrors.Areas.SelectMany(t => t.GetFields().Where(f => f.FieldType == typeof(EkengError))
            .Select(f => ((EkengError)f.GetValue(null)!, $"{t.Name}.{f.Name}")));

    /// <summary>Whether code outside the catalogue files names the entry (it is thrown, or compared with).</summary>
    internal static Func<EkengError, bool> UsedByCode()
    {
        var areaFiles = AreaFiles().Values.Select(Path.GetFullPath).ToHashSet();
        string code = string.Join("\n", ThrowingSources().Where(f => !areaFiles.Contains(Path.GetFullPath(f))).Select(File.ReadAllText));
        var names = Entries().ToDictionary(e => e.Entry, e => e.Name);
        return entry => Regex.IsMatch(code, $@"\b{Regex.Escape(names[entry])}\b");
    }

    [Fact]
    public void The_Catalogue_Has_One_Entry_Per_Id()
    {
        var all = EkengErrors.All;
        Assert.True(all.Count >= 100, $"only {all.Count} entries");
        var twice = all.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "ids with two entries: " + string.Join(", ", twice));
        Assert.Same(PinErrors.PinIncorrect, EkengErrors.Find("PinIncorrect"));
    }

    [Fact]
    public void Every_Action_Is_One_Short_Line_That_Ends_A_Sentence()
    {
        var bad = EkengErrors.All.Where(e => e.Action.Length is < 10 or > 240 || e.Action.Contains('\n') || !(e.Action.EndsWith('.') || e.Action.EndsWith("...", StringComparison.Ordinal)))
            .Select(e => $"{e.Id}: '{e.Action}'").ToList();
        Assert.True(bad.Count == 0, string.Join("; ", bad));
    }

    [Fact]
    public void The_Readme_Table_Lists_Exactly_The_Catalogue()
    {
        var rows = ReadTable();
        var twice = rows.GroupBy(r => r.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "README rows given twice: " + string.Join(", ", twice));
        var readme = rows.Select(r => r.Id).ToHashSet();
        var catalogue = EkengErrors.All.Select(e => e.Id).ToHashSet();
        Assert.True(readme.SetEquals(catalogue),
            $"only in README.md: {string.Join(", ", readme.Except(catalogue))}; only in the catalogue: {string.Join(", ", catalogue.Except(readme))}");
    }

    [Fact]
    public void Each_Readme_Row_Has_The_Entrys_Categories_And_Action()
    {
        var wrong = new List<string>();
        foreach (TableRow row in ReadTable())
        {
            EkengError? entry = EkengErrors.Find(row.Id);
            if (entry is null)
            {
                continue; // The_Readme_Table_Lists_Exactly_The_Catalogue names it
            }

            string kinds = string.Join(", ", entry.Kinds);
            if (string.Join(", ", row.Categories) != kinds)
            {
                wrong.Add($"README.md:{row.Line} {row.Id}: category '{string.Join(", ", row.Categories)}', the catalogue says '{kinds}'");
            }

            if (row.Action != entry.Action)
            {
                wrong.Add($"README.md:{row.Line} {row.Id}: action '{row.Action}', the catalogue says '{entry.Action}'");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("throw new EkengException(\"PinIncorrect\", EkengErrorKind.AuthenticationError, \"x\");", true)]
    [InlineData("throw new CrmException(\"TermsNotAccepted\", Diagnostics.EkengErrorKind.InvalidOperation, \"x\", null);", true)]
    [InlineData("var record = new ErrorRecord(e, \"PinIncorrect\", ErrorCategory.AuthenticationError, null);", true)]
    [InlineData("new PinFailureRule(PukLogin, codes, \"PukIncorrect\", EkengErrorKind.AuthenticationError,", true)]
    [InlineData("catch (EkengException e) when (e.ErrorId == \"PcscTimeout\")", true)]
    [InlineData("public static readonly EkengError X = new EkengError(\"X\", EkengErrorKind.InvalidData, \"Do it.\");", true)]
    [InlineData("throw new EkengException(PinErrors.PinIncorrect, $\"The PIN of '{label}' is incorrect.\");", false)]
    [InlineData("var record = new ErrorRecord(error, error.ErrorId, ToCategory(error.Kind), target);", false)]
    [InlineData("catch (EkengException e) when (PcScErrors.PcscTimeout.Is(e))", false)]
    public void The_Rule_For_A_Literal_Id(string line, bool literal) => Assert.Equal(literal, LiteralIdAtThrowSite.IsMatch(line));

    private static readonly Regex LiteralIdAtThrowSite = new(
        @"""[A-Za-z0-9]+""\s*,\s*(?:[\w.]*\.)?EkengErrorKind\." + // a literal id beside a category (any exception, a rule)
        @"|new\s+ErrorRecord\(\s*[^,()]+,\s*""" +                 // an ErrorRecord made with a literal id
        @"|ErrorId\s*[!=]=\s*""" +                                 // an id compared with a literal
        @"|new\s+EkengError\(",                                      // an entry made outside the catalogue
        RegexOptions.Compiled);

    [Fact]
    public void No_Throw_Site_Names_An_Error_Id_By_A_Literal()
    {
        var areaFiles = AreaFiles().Values.Select(Path.GetFullPath).ToHashSet();
        var found = new List<string>();
        foreach (string file in ThrowingSources().Where(f => !areaFiles.Contains(Path.GetFullPath(f))))
        {
            string text = File.ReadAllText(file);
            foreach (Match m in LiteralIdAtThrowSite.Matches(text))
            {
                int line = text.Take(m.Index).Count(c => c == '\n') + 1;
                found.Add($"{Path.GetRelativePath(Repo, file)}:{line}: {m.Value}");
            }
        }

        Assert.True(found.Count == 0, "literal error ids at throw sites (name a catalogue entry instead):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_ErrorRecord_Carries_The_Entrys_Category_And_Recommended_Action()
    {
        var error = new EkengException(PinErrors.PinIncorrect, "The PIN of 'ARMID (AuthPIN)' is incorrect.");
        ErrorRecord record = EkengCmdlet.ToErrorRecord(error);
        Assert.Equal("PinIncorrect", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, record.CategoryInfo.Category);
        Assert.Equal(PinErrors.PinIncorrect.Action, record.ErrorDetails.RecommendedAction);

        // A throw site may name its own parameters; the catalogue's action is the default, never null.
        var specific = new EkengException(PinErrors.PinRequired, "needed") { RecommendedAction = "Pass it with -SignPin." };
        Assert.Equal("Pass it with -SignPin.", EkengCmdlet.ToErrorRecord(specific).ErrorDetails.RecommendedAction);
        var unset = new EkengException(PinErrors.PinRequired, "needed") { RecommendedAction = null };
        Assert.Equal(PinErrors.PinRequired.Action, EkengCmdlet.ToErrorRecord(unset).ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_Category_The_Entry_Does_Not_Allow_Is_Refused()
    {
        Assert.Equal(EkengErrorKind.PermissionDenied, new EkengException(Ekeng.Firefox.BrowserErrors.PolicyWriteFailed, EkengErrorKind.PermissionDenied, "denied").Kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EkengException(PinErrors.PinIncorrect, EkengErrorKind.DeviceError, "x"));
    }
}
