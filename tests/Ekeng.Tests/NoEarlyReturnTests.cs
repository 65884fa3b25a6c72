using System.Text.RegularExpressions;

namespace Ekeng.Tests;

/// <summary>A test that cannot run is skipped with its reason (Requires), never passed by returning early.</summary>
public sealed class NoEarlyReturnTests
{
    [Fact]
    public void No_Test_File_Returns_Early_Instead_Of_Skipping()
    {
        string tests = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        var bare = new Regex(@"^\s*return;\s*$");
        var offenders = Directory.EnumerateFiles(tests, "*Tests*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => bare.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(tests, x.f)}:{x.i + 1}")
            .ToList();
        Assert.True(Directory.Exists(Path.Combine(tests, "Ekeng.Tests")), $"the tests folder was not found at {tests}");
        Assert.Empty(offenders);
    }
}
