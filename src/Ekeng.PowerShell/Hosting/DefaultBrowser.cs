using System.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>Opens an https address in the user's default browser: start (Windows), open (macOS), xdg-open (elsewhere).</summary>
    internal static class DefaultBrowser
    {
        /// <summary>
        /// Starts the browser; null when it started, else the reason it could not. Only absolute https addresses are
        /// ever handed to the shell (a file:, UNC or custom-scheme address would run a program); callers check the host.
        /// </summary>
        public static string? TryOpen(Uri uri)
        {
            if (uri is null || !uri.IsAbsoluteUri || uri.IsUnc || !string.Equals(uri.Scheme, "https", StringComparison.Ordinal))
            {
                return "only https addresses are opened";
            }

            ProcessStartInfo start = HostOs.IsWindows ? new ProcessStartInfo(uri.AbsoluteUri) { UseShellExecute = true }
                : new ProcessStartInfo(HostOs.IsMacOS ? "open" : "xdg-open", uri.AbsoluteUri) { UseShellExecute = false };
            try
            {
                using (Process.Start(start))
                {
                }

                return null;
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
            {
                return e.Message;
            }
        }
    }
}
