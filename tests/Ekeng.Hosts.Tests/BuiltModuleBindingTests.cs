using System.Reflection;

namespace Ekeng.Hosts.Tests;

/// <summary>
/// The built module folder (out/Ekeng) read assembly by assembly: it must bind on the oldest PowerShell 7 the
/// manifest accepts (7.4, .NET 8) and on Windows PowerShell 5.1 (.NET Framework 4.7.2+, exact binding, the module's
/// resolver), and carry nothing unused.
/// </summary>
public sealed class BuiltModuleBindingTests
{
    /// <summary>Windows PowerShell 5.1's own System.Management.Automation, which the host provides.</summary>
    private static readonly IReadOnlyDictionary<string, AssemblyName> WindowsPowerShellHost = new Dictionary<string, AssemblyName>
    {
        ["System.Management.Automation"] = new AssemblyName("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35"),
    };

    [SkippableFact]
    public void No_reference_is_newer_than_the_NET_8_shared_framework()
    {
        BuiltModule.RequireBuilt();
        BuiltModule.RequireHostCheck();
        IReadOnlyDictionary<string, Version> net8 = BindingRules.ReadRuntimeFolder(BuiltModule.HostCheckFolder, "Ekeng.HostCheck");
        Assert.Equal(new Version(8, 0, 0, 0), net8["System.Text.Json"]); // the folder really is a .NET 8 runtime

        IReadOnlyList<string> problems = BindingRules.NewerThanRuntime(ShippedAssembly.ReadFolder(BuiltModule.Folder), net8, 8);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [SkippableFact]
    public void Every_strong_name_reference_binds_on_NET_Framework_with_the_module_resolver()
    {
        BuiltModule.RequireBuilt();
        IReadOnlyDictionary<string, AssemblyName> framework = BindingRules.ReadFrameworkList(BuiltModule.Net472ReferenceAssemblies);
        IReadOnlyList<ShippedAssembly> folder = ShippedAssembly.ReadFolder(BuiltModule.Folder);

        IReadOnlyList<string> problems = BindingRules.UnboundOnNetFramework(folder, framework, WindowsPowerShellHost, resolver: true);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        // The resolver is needed, not decorative: without it the folder does not bind (System.Memory 4.0.1.2 vs 4.0.2.0).
        Assert.NotEmpty(BindingRules.UnboundOnNetFramework(folder, framework, WindowsPowerShellHost, resolver: false));
    }

    [SkippableFact]
    public void Nothing_shipped_is_unused()
    {
        BuiltModule.RequireBuilt();

        IReadOnlyList<string> problems = BindingRules.Unreferenced(ShippedAssembly.ReadFolder(BuiltModule.Folder), BuiltModule.EntryPoints);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.DoesNotContain(Directory.GetFiles(BuiltModule.Folder, "PdfSharp.*.dll"), f => Path.GetFileName(f) is "PdfSharp.BarCodes.dll" or "PdfSharp.Charting.dll" or "PdfSharp.Quality.dll" or "PdfSharp.Snippets.dll");
    }
}
