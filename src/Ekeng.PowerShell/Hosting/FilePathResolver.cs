using System.Collections.ObjectModel;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>A -Path of the signing commands: wildcards expanded by the FileSystem provider; nothing found is an empty list.</summary>
    internal static class FilePathResolver
    {
        public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string given)
        {
            try
            {
                Collection<string> paths = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(given, out ProviderInfo provider);
                return provider.Name == "FileSystem" ? (IReadOnlyList<string>)paths : Array.Empty<string>();
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException || e is PSArgumentException)
            {
                return Array.Empty<string>();
            }
        }
    }
}
