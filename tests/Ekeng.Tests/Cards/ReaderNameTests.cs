using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.Tests.Cards;

/// <summary>Issue 7 item 14: libccid reader names with brackets are names, not wildcard patterns.</summary>
public sealed class ReaderNameTests
{
    private const string Bracketed = "A [B] (1) 00 00";
    private static readonly string[] Readers = { Bracketed, "A B (1) 00 00", "X 1", "X 10" };

    [Fact]
    public void An_Exact_Reader_Name_With_Brackets_Matches_Itself_Only()
    {
        var filter = new ReaderNameFilter(new[] { Bracketed }, Readers);
        Assert.Equal(new[] { Bracketed }, Readers.Where(filter.IsMatch));
        Assert.False(filter.IsPattern(Bracketed));
    }

    [Fact]
    public void A_Name_That_Is_No_Reader_Is_A_Wildcard_Pattern()
    {
        var filter = new ReaderNameFilter(new[] { "A*" }, Readers);
        Assert.Equal(new[] { Bracketed, "A B (1) 00 00" }, Readers.Where(filter.IsMatch));
        Assert.True(filter.IsPattern("A*"));
    }

    [Fact]
    public void An_Escaped_Name_From_The_Completer_Matches_The_Reader_Literally()
    {
        string completed = System.Management.Automation.WildcardPattern.Escape(Bracketed);
        var filter = new ReaderNameFilter(new[] { completed }, Readers);
        Assert.Equal(new[] { Bracketed }, Readers.Where(filter.IsMatch));
    }

    [Fact]
    public void X_1_Is_Not_X_10()
    {
        var filter = new ReaderNameFilter(new[] { "X 1" }, Readers);
        Assert.Equal(new[] { "X 1" }, Readers.Where(filter.IsMatch));
    }

    [Fact]
    public void The_Completer_Escapes_And_Quotes_Bracketed_Names()
    {
        var results = ReaderNameCompleter.Complete(Readers, "'A [").ToList();
        var result = Assert.Single(results);
        Assert.Equal("'A `[B`] (1) 00 00'", result.CompletionText);
        Assert.Equal(Bracketed, result.ListItemText);

        // What it inserted completes again to itself.
        Assert.Single(ReaderNameCompleter.Complete(Readers, result.CompletionText));
        Assert.Equal(2, ReaderNameCompleter.Complete(Readers, "X 1").Count());
    }
}
