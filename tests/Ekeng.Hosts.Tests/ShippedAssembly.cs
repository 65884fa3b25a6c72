using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Ekeng.Hosts.Tests;

/// <summary>One assembly of a folder as its metadata says: its identity and what it references.</summary>
public sealed record ShippedAssembly(string FileName, AssemblyName Identity, IReadOnlyList<AssemblyName> References)
{
    /// <summary>Every managed assembly of a folder (metadata only: nothing is loaded).</summary>
    public static IReadOnlyList<ShippedAssembly> ReadFolder(string folder)
    {
        var list = new List<ShippedAssembly>();
        foreach (string file in Directory.GetFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            using FileStream stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                continue;
            }

            MetadataReader md = pe.GetMetadataReader();
            if (!md.IsAssembly)
            {
                continue;
            }

            var references = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h).GetAssemblyName()).ToList();
            list.Add(new ShippedAssembly(Path.GetFileName(file), md.GetAssemblyDefinition().GetAssemblyName(), references));
        }

        return list;
    }

    public string Name => Identity.Name!;

    public Version Version => Identity.Version!;

    /// <summary>A library built for .NET only (net8.0 and later: it references System.Runtime 5.0 or newer), never loaded by .NET Framework.</summary>
    public bool IsDotNetOnly => References.Any(r => r.Name == "System.Runtime" && r.Version!.Major >= 5);
}
