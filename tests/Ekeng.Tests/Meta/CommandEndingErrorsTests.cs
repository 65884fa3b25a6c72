using System.Text.RegularExpressions;
using Ekeng.Diagnostics;

namespace Ekeng.Tests.Meta;

/// <summary>The errors that end a command (each catalogue entry says so) are the README's, and each is an id the module really throws.</summary>
public sealed class CommandEndingErrorsTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    [Fact]
    public void The_Readme_Names_Exactly_The_Ids_That_End_A_Command()
    {
        string readme = File.ReadAllText(Path.Combine(Repo, "README.md"));
        int start = readme.IndexOf("**Which errors end the command.**", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no 'Which errors end the command' paragraph");
        int end = readme.IndexOf("In scripts:", start, StringComparison.Ordinal);
        string paragraph = readme[start..end];
        int environment = paragraph.IndexOf("the environment (", StringComparison.Ordinal);
        int parameters = paragraph.IndexOf("the command's parameters (", StringComparison.Ordinal);
        Assert.True(environment > 0 && parameters > environment);
        static HashSet<string> Ids(string text) => Regex.Matches(text, "`([A-Za-z0-9]+)`").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(CommandEndingErrors.EnvironmentIds.OrderBy(x => x), Ids(paragraph[environment..parameters]).OrderBy(x => x));
        Assert.Equal(CommandEndingErrors.ParameterIds.OrderBy(x => x), Ids(paragraph[parameters..]).OrderBy(x => x));
    }

    [Fact]
    public void Every_Listed_Id_Is_Thrown_By_The_Module()
    {
        Func<EkengError, bool> used = ErrorCatalogueTests.UsedByCode();
        var missing = CommandEndingErrors.EnvironmentIds.Concat(CommandEndingErrors.ParameterIds)
            .Where(id => !used(EkengErrors.Find(id)!))
            .ToList();
        Assert.True(missing.Count == 0, "ids that end a command but are never thrown: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_Catalogue_Entry_Owns_The_Fact()
    {
        Assert.Equal(CommandEnding.Environment, Ekeng.PcSc.PcScErrors.PcscServiceUnavailable.Ends);
        Assert.Equal(CommandEnding.Parameters, Ekeng.Pkcs11.PinErrors.PinRequired.Ends);
        Assert.Equal(CommandEnding.No, Ekeng.Pkcs11.PinErrors.PinIncorrect.Ends);
        Assert.False(CommandEndingErrors.EndsCommand("NoSuchId"));
    }

    [Theory]
    [InlineData("PcscServiceUnavailable", true)]
    [InlineData("InvalidPhoneNumber", true)]
    [InlineData("PukIncorrect", false)]
    [InlineData("PinIncorrect", false)]
    [InlineData("FirefoxRunning", false)]
    [InlineData("PaymentDeclined", false)]
    [InlineData("CardRereadFailed", false)]
    public void Per_Input_Failures_Do_Not_End_The_Command(string id, bool ends) => Assert.Equal(ends, CommandEndingErrors.EndsCommand(id));
}
