using System.Reflection;

namespace Ekeng.Hosts.Tests;

/// <summary>Where the built module, the .NET 8 host check and the .NET Framework reference assemblies are.</summary>
public static class BuiltModule
{
    private static string Metadata(string key) =>
        typeof(BuiltModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    /// <summary>out/Ekeng: what build.ps1 -Task Build publishes.</summary>
    public static string Folder => Path.Combine(RepositoryRoot, "out", "Ekeng");

    /// <summary>out/hostcheck: the self-contained .NET 8 program build.ps1 -Task Test publishes.</summary>
    public static string HostCheckFolder => Path.Combine(RepositoryRoot, "out", "hostcheck");

    public static string Net472ReferenceAssemblies => Metadata("Net472ReferenceAssemblies");

    /// <summary>The assemblies the module loads itself: the cmdlets, RequiredAssemblies, and the net8.0 TLS library loaded on PowerShell 7.</summary>
    public static readonly string[] EntryPoints = { "Ekeng.PowerShell", "Ekeng.Core", "Ekeng.Tls" };

    public static void RequireBuilt() =>
        Requires.That(File.Exists(Path.Combine(Folder, "Ekeng.psd1")) && File.Exists(Path.Combine(Folder, "Ekeng.Core.dll")),
            $"needs the built module in {Folder} (build.ps1 -Task Build)");

    public static void RequireHostCheck() =>
        Requires.That(File.Exists(Path.Combine(HostCheckFolder, "Ekeng.HostCheck")) && File.Exists(Path.Combine(HostCheckFolder, "System.Text.Json.dll")),
            $"needs the .NET 8 host check in {HostCheckFolder} (build.ps1 -Task Test publishes tests/Ekeng.HostCheck there)");
}
