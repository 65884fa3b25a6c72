using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// The module's views (Ekeng.format.ps1xml) are loaded when the first Ekeng command of a runspace runs, not at
    /// Import-Module: parsing them is most of the module's own import cost. Every object the module outputs comes from
    /// a command, and the views are in place before that command writes anything.
    /// </summary>
    internal static class FormatViews
    {
        private static readonly ConditionalWeakTable<Runspace, object> Loaded = new ConditionalWeakTable<Runspace, object>();

        /// <summary>The format file beside the module's assembly.</summary>
        public static string FilePath { get; } = Path.Combine(Path.GetDirectoryName(typeof(FormatViews).Assembly.Location) ?? ".", "Ekeng.format.ps1xml");

        public static void EnsureLoaded(PSCmdlet command)
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace != null && Loaded.TryGetValue(runspace, out _))
            {
                return;
            }

            if (!File.Exists(FilePath))
            {
                return;
            }

            // Update-FormatData appends to this runspace's formatting database; a second call with the same file is a
            // no-op for PowerShell, and the table keeps it to one call per runspace.
            command.InvokeCommand.InvokeScript("Update-FormatData -AppendPath $args[0]", false, PipelineResultTypes.None, null, FilePath);
            if (runspace != null)
            {
                Loaded.GetValue(runspace, _ => FilePath);
            }
        }
    }
}
