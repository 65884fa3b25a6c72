using System.Reflection;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.Hosts.Tests;

/// <summary>The AssemblyResolve handler Windows PowerShell 5.1 gets, with a made-up module folder.</summary>
public sealed class ModuleAssemblyResolverTests
{
    private const string Folder = "/modules/Ekeng";
    private const string Token = "cc7b13ffcd2ddd51";

    private readonly Dictionary<string, AssemblyName> _files = new()
    {
        [Path.Combine(Folder, "System.Memory.dll")] = new AssemblyName($"System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken={Token}"),
        [Path.Combine(Folder, "Microsoft.Extensions.Logging.Abstractions.dll")] = new AssemblyName("Microsoft.Extensions.Logging.Abstractions, Version=8.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60"),
        [Path.Combine(Folder, "PhoneNumbers.dll")] = new AssemblyName("PhoneNumbers, Version=9.0.43.0, Culture=neutral, PublicKeyToken=null"),
    };

    private readonly List<string> _loads = new();

    private ModuleAssemblyResolver Resolver() => new(
        Folder,
        path => _files.TryGetValue(path, out AssemblyName? name) ? name : null,
        path =>
        {
            _loads.Add(path);
            return typeof(ModuleAssemblyResolverTests).Assembly; // stands for the loaded file
        });

    [Fact]
    public void A_lower_version_of_a_shipped_assembly_gets_the_shipped_file()
    {
        ModuleAssemblyResolver resolver = Resolver();

        Assert.NotNull(resolver.Resolve($"System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken={Token}"));

        Assert.Equal(new[] { Path.Combine(Folder, "System.Memory.dll") }, _loads);
    }

    [Fact]
    public void The_same_version_gets_the_shipped_file_and_each_file_loads_once()
    {
        ModuleAssemblyResolver resolver = Resolver();

        Assembly? first = resolver.Resolve($"System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken={Token}");
        Assembly? second = resolver.Resolve($"System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken={Token}");

        Assert.Same(first, second);
        Assert.Single(_loads);
        Assert.Equal(1, resolver.LoadCount);
    }

    [Theory]
    [InlineData("System.Memory, Version=4.0.3.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")] // higher than shipped
    [InlineData("Microsoft.Extensions.Logging.Abstractions, Version=10.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60")] // higher
    [InlineData("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=0123456789abcdef")] // another key
    [InlineData("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=null")] // no key for a strong-named file
    [InlineData("System.Memory.resources, Version=4.0.1.2, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")] // a satellite
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")] // not shipped here
    [InlineData("Newtonsoft.Json")] // not shipped here
    [InlineData("../System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")] // not a simple name
    [InlineData("")]
    public void Anything_else_gets_null_and_nothing_is_loaded(string requested)
    {
        ModuleAssemblyResolver resolver = Resolver();

        Assert.Null(resolver.Resolve(requested));

        Assert.Empty(_loads);
    }

    [Fact]
    public void A_library_without_a_strong_name_is_matched_by_name()
    {
        Assert.NotNull(Resolver().Resolve("PhoneNumbers, Version=9.0.0.0, Culture=neutral, PublicKeyToken=null"));
    }

    [Fact]
    public void Only_dotnet_framework_gets_the_resolver()
    {
        Assert.True(ModuleAssemblyInitializer.NeedsResolver(".NET Framework 4.8.9181.0"));
        Assert.False(ModuleAssemblyInitializer.NeedsResolver(".NET 8.0.31"));
        Assert.False(ModuleAssemblyInitializer.NeedsResolver(".NET Core 3.1.32"));
    }

    [Fact]
    public void Import_registers_the_resolver_for_the_module_folder_on_NET_Framework_only_and_Remove_takes_it_away()
    {
        string folder = Path.Combine(Path.GetTempPath(), "ekeng-module-folder");
        try
        {
            ModuleAssemblyInitializer.Import(".NET 8.0.31", new Version(8, 0, 31), folder);
            Assert.Null(ModuleAssemblyInitializer.Registered);

            ModuleAssemblyInitializer.Import(".NET Framework 4.8.9181.0", new Version(4, 0, 30319, 42000), folder);
            Assert.Equal(Path.GetFullPath(folder), ModuleAssemblyInitializer.Registered?.Folder);

            new ModuleAssemblyInitializer().OnRemove(null!);
            Assert.Null(ModuleAssemblyInitializer.Registered);
        }
        finally
        {
            ModuleAssemblyInitializer.Unregister();
        }
    }

    [Fact]
    public void Import_on_a_runtime_older_than_NET_8_throws_the_reason()
    {
        var error = Assert.Throws<PlatformNotSupportedException>(() => ModuleAssemblyInitializer.Import(".NET 6.0.36", new Version(6, 0, 36), "/modules/Ekeng"));

        Assert.Contains("PowerShell 7.4 or later", error.Message);
    }

    [Theory]
    [InlineData(".NET Framework 4.8.9181.0", "4.0.30319.42000", true)] // Windows PowerShell 5.1
    [InlineData(".NET 8.0.31", "8.0.31", true)] // PowerShell 7.4
    [InlineData(".NET 10.0.5", "10.0.5", true)] // PowerShell 7.6
    [InlineData(".NET 7.0.20", "7.0.20", false)] // PowerShell 7.3
    [InlineData(".NET 6.0.36", "6.0.36", false)] // PowerShell 7.2
    [InlineData(".NET Core 3.1.32", "3.1.32", false)] // PowerShell 7.0
    public void Import_refuses_the_PowerShell_7_runtimes_older_than_NET_8_with_the_reason(string framework, string version, bool accepted)
    {
        string? refusal = ModuleAssemblyInitializer.UnsupportedRuntime(framework, Version.Parse(version));

        if (accepted)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.NotNull(refusal);
            Assert.Contains("Windows PowerShell 5.1 or PowerShell 7.4 or later", refusal);
            Assert.Contains(framework, refusal);
        }
    }

    [SkippableFact]
    public void Against_the_built_folder_every_shipped_file_answers_a_lower_version_and_refuses_a_higher_one()
    {
        BuiltModule.RequireBuilt();
        var loads = new List<string>();
        var resolver = new ModuleAssemblyResolver(BuiltModule.Folder, path => File.Exists(path) ? AssemblyName.GetAssemblyName(path) : null, path =>
        {
            loads.Add(path);
            return typeof(ModuleAssemblyResolverTests).Assembly;
        });
        AssemblyName memory = AssemblyName.GetAssemblyName(Path.Combine(BuiltModule.Folder, "System.Memory.dll"));

        var lower = new AssemblyName(memory.FullName) { Version = new Version(4, 0, 1, 2) };
        var higher = new AssemblyName(memory.FullName) { Version = new Version(memory.Version!.Major, memory.Version.Minor, memory.Version.Build + 1, 0) };

        Assert.NotNull(resolver.Resolve(lower.FullName));
        Assert.Null(resolver.Resolve(higher.FullName));
        Assert.Equal(new[] { Path.Combine(BuiltModule.Folder, "System.Memory.dll") }, loads);
    }
}
