using System.Text.RegularExpressions;

namespace Ekeng.Tests.Meta;

/// <summary>
/// CI sets CI=true in its own environment; .ci/run must not set it itself, or a run of .ci/run outside that CI (a
/// developer's machine without a rig) would fail where it should skip with the reason. And .ci/run runs the README's
/// test command, nothing else.
/// </summary>
public sealed class CiRunTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    [Fact]
    public void Ci_Run_Does_Not_Set_CI_And_Runs_The_Readme_Test_Command()
    {
        string run = File.ReadAllText(Path.Combine(Repo, ".ci", "run"));
        Assert.DoesNotMatch(new Regex(@"(^|[\s;&|])(export\s+)?CI=|\benv\s+CI=|\bsetenv\s+CI\b", RegexOptions.Multiline), run);
        string readme = File.ReadAllText(Path.Combine(Repo, "README.md"));
        const string command = "dotnet tool restore && dotnet pwsh -NoProfile -NonInteractive ./build.ps1 -Task Deps,Test";
        Assert.Contains(command, readme);
        Assert.Contains(command, run);
    }
}
