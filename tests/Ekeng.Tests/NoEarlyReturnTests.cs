using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace Ekeng.Tests;

/// <summary>
/// A test that cannot run is skipped with its reason (Requires, Pester's -Skip / Set-ItResult), never passed by
/// returning early. Two scans, both over the sources in tests/:
/// <list type="bullet">
/// <item>xunit (every .cs file of the test projects, helpers too): no <c>return;</c> statement at all — bare on its line, after an <c>if (…)</c>, inside
/// braces — outside string literals and comments. A test method is void or a Task: a <c>return;</c> in it is an
/// early pass, and no helper a test calls needs one.</item>
/// <item>Pester (*.Tests.ps1): no <c>return</c> statement directly in an <c>It</c> block's script block (one inside a
/// nested script block, such as a ForEach-Object body or a function, ends only that block and is allowed).</item>
/// </list>
/// </summary>
public sealed class NoEarlyReturnTests
{
    private static readonly string Tests = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    private static readonly Regex Return = new(@"(^|[^\w.])return\s*;", RegexOptions.Compiled);

    private static IEnumerable<string> Sources(string pattern) =>
        Directory.EnumerateFiles(Tests, pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar));

    /// <summary>The line without its string and character literals and its // comment (a crude C# lexer, enough here).</summary>
    internal static string Code(string line)
    {
        string s = Regex.Replace(line, @"@""(?:[^""]|"""")*""|""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)'", "\"\"");
        int comment = s.IndexOf("//", StringComparison.Ordinal);
        return comment >= 0 ? s.Substring(0, comment) : s;
    }

    internal static bool ReturnsEarly(string line) => Return.IsMatch(Code(line));

    [Theory]
    [InlineData("        return;", true)]
    [InlineData("        if (!File.Exists(path)) return;", true)]
    [InlineData("        if (skip) { return; }", true)]
    [InlineData("        return ;", true)]
    [InlineData("        return result;", false)]
    [InlineData("        var bare = new Regex(@\"^\\s*return;\\s*$\");", false)]
    [InlineData("        Assert.Contains(\"return;\", text);", false)]
    [InlineData("        // a comment that says return;", false)]
    [InlineData("        x.return;", false)]
    public void The_Rule_For_CSharp(string line, bool expected) => Assert.Equal(expected, ReturnsEarly(line));

    [Fact]
    public void No_Xunit_Test_File_Returns_Early_Instead_Of_Skipping()
    {
        // Every C# file of the test projects (tests/Ekeng.*, tests/Shared): test classes and the helpers they call.
        var offenders = Sources("*.cs")
            .Where(f => Path.GetRelativePath(Tests, f) is string r && (r.StartsWith("Ekeng.", StringComparison.Ordinal) || r.StartsWith("Shared", StringComparison.Ordinal)))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => ReturnsEarly(x.line))
            .Select(x => $"{Path.GetRelativePath(Tests, x.f)}:{x.i + 1}")
            .ToList();
        Assert.True(Directory.Exists(Path.Combine(Tests, "Ekeng.Tests")), $"the tests folder was not found at {Tests}");
        Assert.Empty(offenders);
    }

    /// <summary>The return statements directly in an It block (not in a script block nested inside it).</summary>
    internal static IReadOnlyList<int> ReturnsInItBlocks(ScriptBlockAst file)
    {
        var lines = new List<int>();
        foreach (CommandAst it in file.FindAll(a => a is CommandAst c && string.Equals(c.GetCommandName(), "It", StringComparison.OrdinalIgnoreCase), true).Cast<CommandAst>())
        {
            foreach (ScriptBlockExpressionAst body in it.CommandElements.OfType<ScriptBlockExpressionAst>())
            {
                ScriptBlockAst block = body.ScriptBlock;
                foreach (Ast r in block.FindAll(a => a is ReturnStatementAst, true))
                {
                    Ast? owner = r.Parent;
                    while (owner is not null and not ScriptBlockAst)
                    {
                        owner = owner.Parent;
                    }

                    if (ReferenceEquals(owner, block))
                    {
                        lines.Add(r.Extent.StartLineNumber);
                    }
                }
            }
        }

        return lines;
    }

    [Theory]
    [InlineData("It 'x' { if (-not $ok) { return }; 1 | Should -Be 1 }", 1)]
    [InlineData("It 'x' {\n  $a = 1\n  return\n}", 1)]
    [InlineData("It 'x' -Skip:$s { 1..3 | ForEach-Object { if ($_ -eq 2) { return } } }", 0)]
    [InlineData("function f { return 1 }; It 'x' { f | Should -Be 1 }", 0)]
    [InlineData("It 'x' { { return 1 } | Should -Not -Throw }", 0)]
    public void The_Rule_For_Pester(string script, int expected)
    {
        ScriptBlockAst ast = Parser.ParseInput(script, out _, out ParseError[] errors);
        Assert.Empty(errors);
        Assert.Equal(expected, ReturnsInItBlocks(ast).Count);
    }

    [Fact]
    public void No_Pester_It_Block_Returns_Early_Instead_Of_Skipping()
    {
        var files = Sources("*.Tests.ps1").ToList();
        Assert.True(files.Count >= 5, $"only {files.Count} Pester files were found under {Tests}");
        var offenders = new List<string>();
        foreach (string file in files)
        {
            ScriptBlockAst ast = Parser.ParseFile(file, out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, $"{file}: {string.Join("; ", errors.Select(e => e.Message))}");
            offenders.AddRange(ReturnsInItBlocks(ast).Select(line => $"{Path.GetRelativePath(Tests, file)}:{line}"));
        }

        Assert.Empty(offenders);
    }
}
