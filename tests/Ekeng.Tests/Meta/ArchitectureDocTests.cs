using System.Text;
using System.Text.RegularExpressions;

namespace Ekeng.Tests.Meta;

/// <summary>
/// The project documents itself: docs/ARCHITECTURE.md is the design inside the repository. No source, test, script or
/// document cites a design file from outside it (whoever clones the repository would find nothing there), every
/// repository path the architecture names exists, and every link to one of its sections lands on a heading.
/// </summary>
public sealed class ArchitectureDocTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static readonly string Architecture = Path.Combine(Repo, "docs", "ARCHITECTURE.md");

    // Spelled in two pieces so that this file does not cite it itself.
    private static readonly string OutsideDesign = "DESI" + "GN.md";

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "bin", "obj", "out", "TestResults", "node_modules" };

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".ps1", ".psm1", ".psd1", ".ps1xml", ".md", ".txt", ".csproj", ".props", ".targets", ".sln", ".json", ".yml", ".yaml", ".xml", ".sh",
    };

    /// <summary>The repository's text files: a walk from the root without build output, results or git's own folder.</summary>
    internal static IEnumerable<string> TextFiles(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            string folder = pending.Pop();
            foreach (string sub in Directory.EnumerateDirectories(folder))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(sub)) && (File.GetAttributes(sub) & FileAttributes.ReparsePoint) == 0)
                {
                    pending.Push(sub);
                }
            }

            foreach (string file in Directory.EnumerateFiles(folder))
            {
                if (TextExtensions.Contains(Path.GetExtension(file)) || Path.GetFileName(file) == "LICENSE")
                {
                    yield return file;
                }
            }
        }
    }

    /// <summary>"file:line" for every line of the repository's text files that names the outside design file.</summary>
    internal static IReadOnlyList<string> OutsideDesignCitations(string root)
    {
        var hits = new List<string>();
        foreach (string file in TextFiles(root))
        {
            string[] lines = File.ReadAllLines(file, Encoding.UTF8);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].IndexOf(OutsideDesign, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    hits.Add($"{Path.GetRelativePath(root, file)}:{i + 1}");
                }
            }
        }

        return hits;
    }

    /// <summary>The repository paths (src/…, tests/…, docs/…) written in backticks in a Markdown text.</summary>
    internal static IReadOnlyList<string> BacktickedRepoPaths(string markdown) =>
        Regex.Matches(markdown, @"`((?:src|tests|docs)/[^`\s]*)`")
            .Select(m => m.Groups[1].Value.TrimEnd('/', '.', ',', ';', ':'))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    internal static string Anchor(string heading)
    {
        var sb = new StringBuilder();
        foreach (char c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '-' || c == '_')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('-');
            }
        }

        return sb.ToString();
    }

    [Fact]
    public void Nothing_in_the_repository_cites_the_outside_design_file()
    {
        Assert.True(File.Exists(Path.Combine(Repo, "build.ps1")), $"the repository root was not found at {Repo}");
        IReadOnlyList<string> hits = OutsideDesignCitations(Repo);
        Assert.True(hits.Count == 0, $"{OutsideDesign} is not part of this repository; point at docs/ARCHITECTURE.md instead: {string.Join(", ", hits)}");
    }

    [Fact]
    public void Every_path_the_architecture_names_exists()
    {
        string text = File.ReadAllText(Architecture);
        IReadOnlyList<string> paths = BacktickedRepoPaths(text);
        Assert.True(paths.Count >= 20, $"docs/ARCHITECTURE.md names only {paths.Count} repository paths in backticks; the reader was expected to find them");
        var missing = paths.Where(p => !File.Exists(Path.Combine(Repo, p)) && !Directory.Exists(Path.Combine(Repo, p))).ToList();
        Assert.True(missing.Count == 0, $"docs/ARCHITECTURE.md names paths that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_link_to_an_architecture_section_lands_on_a_heading()
    {
        var anchors = File.ReadAllLines(Architecture)
            .Where(l => l.StartsWith('#'))
            .Select(l => Anchor(l.TrimStart('#')))
            .ToHashSet(StringComparer.Ordinal);
        var broken = new List<string>();
        foreach (string file in TextFiles(Repo))
        {
            foreach (Match m in Regex.Matches(File.ReadAllText(file), @"ARCHITECTURE\.md#([A-Za-z0-9_-]+)"))
            {
                if (!anchors.Contains(m.Groups[1].Value))
                {
                    broken.Add($"{Path.GetRelativePath(Repo, file)}: #{m.Groups[1].Value}");
                }
            }
        }

        Assert.True(broken.Count == 0, $"links to sections docs/ARCHITECTURE.md does not have: {string.Join(", ", broken)}");
    }

    [Theory]
    [InlineData("PKCS#11: one library per process", "pkcs11-one-library-per-process")]
    [InlineData("Card and token facts", "card-and-token-facts")]
    [InlineData("One card through the manual", "one-card-through-the-manual")]
    public void Anchors_are_GitHubs(string heading, string anchor) => Assert.Equal(anchor, Anchor(heading));
}
