using System;
using System.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>Opens an address in the user's default browser: start (Windows), open (macOS), xdg-open (elsewhere).</summary>
    internal static class DefaultBrowser
    {
        /// <summary>Starts the browser; null when it started, else the reason it could not.</summary>
        public static string? TryOpen(Uri uri)
        {
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
