using System.Reflection;

namespace Ekeng.Hosts.Tests;

/// <summary>The rules themselves on made-up folders: each violation the built-folder tests rely on is caught.</summary>
public sealed class BindingRulesTests
{
    private const string MsToken = "cc7b13ffcd2ddd51";

    private static AssemblyName Name(string name, string version, string? token = MsToken) =>
        new($"{name}, Version={version}, Culture=neutral, PublicKeyToken={token ?? "null"}");

    private static ShippedAssembly Lib(string name, string version, params AssemblyName[] references) =>
        new(name + ".dll", Name(name, version, name.StartsWith("Ekeng", StringComparison.Ordinal) ? null : MsToken), references);

    private static readonly Dictionary<string, Version> Net8 = new() { ["System.Text.Json"] = new Version(8, 0, 0, 0), ["System.Memory"] = new Version(8, 0, 0, 0) };

    [Fact]
    public void A_reference_above_the_runtime_is_named()
    {
        var folder = new[] { Lib("Ekeng.Core", "0.1.0.0", Name("System.Text.Json", "10.0.0.0")) };

        string problem = Assert.Single(BindingRules.NewerThanRuntime(folder, Net8, 8));

        Assert.Contains("System.Text.Json 10.0.0.0; .NET 8 has 8.0.0.0", problem);
    }

    [Fact]
    public void A_reference_at_or_below_the_runtime_passes()
    {
        var folder = new[] { Lib("Ekeng.Core", "0.1.0.0", Name("System.Text.Json", "8.0.0.0"), Name("System.Memory", "4.0.1.2")) };

        Assert.Empty(BindingRules.NewerThanRuntime(folder, Net8, 8));
    }

    [Fact]
    public void Microsoft_Extensions_above_the_runtime_line_is_named()
    {
        var folder = new[] { Lib("Microsoft.Extensions.Logging.Abstractions", "10.0.0.0"), Lib("PdfSharp", "6.2.4.0", Name("Microsoft.Extensions.Logging.Abstractions", "10.0.0.0")) };

        Assert.Equal(2, BindingRules.NewerThanRuntime(folder, Net8, 8).Count);
    }

    private static readonly Dictionary<string, AssemblyName> Framework = new() { ["netstandard"] = Name("netstandard", "2.0.0.0") };

    [Fact]
    public void A_lower_reference_binds_only_through_the_resolver()
    {
        var folder = new[] { Lib("PdfSharp", "6.2.4.0", Name("System.Memory", "4.0.1.2"), Name("netstandard", "2.0.0.0")), Lib("System.Memory", "4.0.2.0") };

        Assert.Empty(BindingRules.UnboundOnNetFramework(folder, Framework, new Dictionary<string, AssemblyName>(), resolver: true));
        string problem = Assert.Single(BindingRules.UnboundOnNetFramework(folder, Framework, new Dictionary<string, AssemblyName>(), resolver: false));
        Assert.Contains("System.Memory 4.0.1.2; System.Memory.dll is 4.0.2.0", problem);
    }

    [Fact]
    public void A_higher_reference_than_shipped_is_unbound_even_with_the_resolver()
    {
        var folder = new[] { Lib("PdfSharp", "6.2.4.0", Name("Microsoft.Extensions.Logging.Abstractions", "10.0.0.0")), Lib("Microsoft.Extensions.Logging.Abstractions", "8.0.0.0") };

        Assert.Single(BindingRules.UnboundOnNetFramework(folder, Framework, new Dictionary<string, AssemblyName>(), resolver: true));
    }

    [Fact]
    public void A_reference_nothing_provides_is_named_and_the_framework_provides_only_up_to_its_version()
    {
        var folder = new[] { Lib("Ekeng.Core", "0.1.0.0", Name("System.Text.Json", "8.0.0.0"), Name("netstandard", "2.1.0.0")) };

        IReadOnlyList<string> problems = BindingRules.UnboundOnNetFramework(folder, Framework, new Dictionary<string, AssemblyName>(), resolver: true);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("System.Text.Json 8.0.0.0: nothing provides it"));
        Assert.Contains(problems, p => p.Contains("netstandard 2.1.0.0: nothing provides it (.NET Framework 4.7.2 has 2.0.0.0)"));
    }

    [Fact]
    public void A_shipped_file_with_another_key_does_not_satisfy_a_strong_name()
    {
        var folder = new[] { Lib("PdfSharp", "6.2.4.0", Name("System.Memory", "4.0.1.2")), new ShippedAssembly("System.Memory.dll", Name("System.Memory", "4.0.2.0", "0123456789abcdef"), Array.Empty<AssemblyName>()) };

        Assert.Contains("with key", Assert.Single(BindingRules.UnboundOnNetFramework(folder, Framework, new Dictionary<string, AssemblyName>(), resolver: true)));
    }

    [Fact]
    public void A_shipped_library_nothing_references_is_named()
    {
        var folder = new[] { Lib("Ekeng.Core", "0.1.0.0", Name("PdfSharp", "6.2.4.0")), Lib("PdfSharp", "6.2.4.0"), Lib("PdfSharp.Charting", "6.2.4.0") };

        Assert.Contains("PdfSharp.Charting.dll", Assert.Single(BindingRules.Unreferenced(folder, new[] { "Ekeng.Core" })));
    }
}
