using System.Reflection;
using System.Xml.Linq;

namespace Ekeng.Hosts.Tests;

/// <summary>
/// The binding rules of the two runtimes the manifest accepts, applied to a module folder's metadata. Each method
/// returns one line per violation (empty when the folder binds).
/// </summary>
public static class BindingRules
{
    /// <summary>
    /// .NET (PowerShell 7): the host's runtime loads its own shared-framework assemblies first; a reference to a
    /// HIGHER version than the oldest accepted runtime's fails with FileLoadException there (a lower one binds to the
    /// runtime's copy). Microsoft.Extensions.* and Microsoft.Bcl.* are held to that runtime's line too: PowerShell
    /// loads its own copies of them first as well.
    /// </summary>
    public static IReadOnlyList<string> NewerThanRuntime(IReadOnlyList<ShippedAssembly> folder, IReadOnlyDictionary<string, Version> runtime, int runtimeMajor)
    {
        var problems = new List<string>();
        foreach (ShippedAssembly assembly in folder)
        {
            foreach (AssemblyName reference in assembly.References)
            {
                string name = reference.Name!;
                if (runtime.TryGetValue(name, out Version? provided) && reference.Version! > provided)
                {
                    problems.Add($"{assembly.FileName} references {name} {reference.Version}; .NET {runtimeMajor} has {provided}");
                }
                else if (IsHeldToRuntimeLine(name) && reference.Version!.Major > runtimeMajor)
                {
                    problems.Add($"{assembly.FileName} references {name} {reference.Version}; the oldest accepted host is on the {runtimeMajor}.0 line");
                }
            }

            if (IsHeldToRuntimeLine(assembly.Name) && assembly.Version.Major > runtimeMajor)
            {
                problems.Add($"{assembly.FileName} is {assembly.Name} {assembly.Version}; the oldest accepted host is on the {runtimeMajor}.0 line");
            }
        }

        return problems;
    }

    private static bool IsHeldToRuntimeLine(string name) =>
        name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Bcl.", StringComparison.Ordinal);

    /// <summary>
    /// .NET Framework (Windows PowerShell 5.1): a strong-named reference binds to exactly its version. It is satisfied
    /// by the framework itself when the framework has that assembly at the same or a higher version (framework
    /// unification), by the host (<paramref name="host"/>: PowerShell's own System.Management.Automation), by a shipped
    /// file of exactly that version, or, when <paramref name="resolver"/> is on, by a shipped file of a HIGHER version
    /// with the same public key token (the module's AssemblyResolve handler). A reference without a token binds by
    /// name. Libraries built for .NET only are skipped: .NET Framework never loads them.
    /// </summary>
    public static IReadOnlyList<string> UnboundOnNetFramework(
        IReadOnlyList<ShippedAssembly> folder, IReadOnlyDictionary<string, AssemblyName> framework, IReadOnlyDictionary<string, AssemblyName> host, bool resolver)
    {
        var shipped = folder.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (ShippedAssembly assembly in folder.Where(a => !a.IsDotNetOnly))
        {
            foreach (AssemblyName reference in assembly.References)
            {
                string name = reference.Name!;
                string? token = Token(reference);
                if (Provides(framework, reference) || Provides(host, reference))
                {
                    continue;
                }

                if (!shipped.TryGetValue(name, out ShippedAssembly? file))
                {
                    string near = framework.TryGetValue(name, out AssemblyName? fw) ? $" (.NET Framework 4.7.2 has {fw.Version})" : string.Empty;
                    problems.Add($"{assembly.FileName} references {name} {reference.Version}: nothing provides it{near}");
                    continue;
                }

                if (token is null)
                {
                    continue;
                }

                if (token != Token(file.Identity))
                {
                    problems.Add($"{assembly.FileName} references {name} {reference.Version} with key {token}; {file.FileName} has key {Token(file.Identity) ?? "none"}");
                }
                else if (reference.Version! == file.Version || (resolver && reference.Version! < file.Version))
                {
                    continue;
                }
                else
                {
                    problems.Add($"{assembly.FileName} references {name} {reference.Version}; {file.FileName} is {file.Version}" + (resolver ? string.Empty : " (no resolver)"));
                }
            }
        }

        return problems;
    }

    private static bool Provides(IReadOnlyDictionary<string, AssemblyName> provider, AssemblyName reference) =>
        provider.TryGetValue(reference.Name!, out AssemblyName? provided)
        && Token(provided) == Token(reference)
        && reference.Version! <= provided.Version!;

    /// <summary>Shipped assemblies nothing loads: not an entry point and referenced by no other shipped assembly.</summary>
    public static IReadOnlyList<string> Unreferenced(IReadOnlyList<ShippedAssembly> folder, IEnumerable<string> entryPoints)
    {
        var referenced = new HashSet<string>(folder.SelectMany(a => a.References.Where(r => r.Name != a.Name).Select(r => r.Name!)), StringComparer.OrdinalIgnoreCase);
        referenced.UnionWith(entryPoints);
        return folder.Where(a => !referenced.Contains(a.Name)).Select(a => $"{a.FileName} is shipped but nothing references it").ToList();
    }

    /// <summary>The assemblies a .NET Framework version provides, from its reference assemblies' RedistList/FrameworkList.xml.</summary>
    public static IReadOnlyDictionary<string, AssemblyName> ReadFrameworkList(string referenceAssemblies)
    {
        XDocument list = XDocument.Load(Path.Combine(referenceAssemblies, "RedistList", "FrameworkList.xml"));
        var result = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
        foreach (XElement file in list.Root!.Elements("File"))
        {
            string name = (string)file.Attribute("AssemblyName")!;
            var assembly = new AssemblyName($"{name}, Version={(string)file.Attribute("Version")!}, Culture=neutral, PublicKeyToken={(string?)file.Attribute("PublicKeyToken") ?? "null"}");
            result[name] = assembly;
        }

        return result;
    }

    /// <summary>The assemblies a .NET runtime folder provides (a self-contained app's folder holds the whole runtime).</summary>
    public static IReadOnlyDictionary<string, Version> ReadRuntimeFolder(string folder, string exceptAssembly)
    {
        return ShippedAssembly.ReadFolder(folder)
            .Where(a => a.Name != exceptAssembly)
            .ToDictionary(a => a.Name, a => a.Version, StringComparer.OrdinalIgnoreCase);
    }

    public static string? Token(AssemblyName name)
    {
        byte[]? token = name.GetPublicKeyToken();
        return token is null || token.Length == 0 ? null : Convert.ToHexString(token).ToLowerInvariant();
    }
}
