using System.Runtime.InteropServices;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// Whether anybody can answer a prompt in this host. Nobody can under -NonInteractive, in a host without a UI, with
    /// redirected input, and, on Windows, in a process that is not in an interactive session (a service:
    /// Environment.UserInteractive false) or that runs as LocalSystem (S-1-5-18): the Intune management extension,
    /// SCCM and Task Scheduler start powershell.exe that way without -NonInteractive, and a prompt there waits until
    /// the agent kills the script. Off Windows, UserInteractive is always true and a service has no console input
    /// (redirected), so the other rules decide.
    /// </summary>
    internal static class InteractiveHostRule
    {
        /// <summary>The security identifier of LocalSystem, the account Intune, SCCM and many scheduled tasks run scripts as.</summary>
        public const string LocalSystemSid = "S-1-5-18";

        /// <param name="hostName">$Host.Name (null when there is no host).</param>
        /// <param name="hasUserInterface">Whether the host has a UI object at all.</param>
        /// <param name="commandLine">The process's command line arguments.</param>
        /// <param name="inputRedirected">Whether the console's input is redirected.</param>
        /// <param name="isWindows">Whether the process runs on Windows.</param>
        /// <param name="userInteractive">Environment.UserInteractive.</param>
        /// <param name="userSid">The process user's security identifier on Windows, else null.</param>
        public static bool IsInteractive(string? hostName, bool hasUserInterface, IEnumerable<string> commandLine, bool inputRedirected, bool isWindows, bool userInteractive, string? userSid)
        {
            if (!hasUserInterface || hostName is null || hostName == "Default Host")
            {
                return false;
            }

            // A service or LocalSystem has nobody in front of it, whatever the host: no -NonInteractive needed.
            if (isWindows && (!userInteractive || string.Equals(userSid, LocalSystemSid, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            // -NonInteractive is a switch of the console host: it says nothing about another host (an editor, a
            // hosting application, a test host) running in the same process.
            if (hostName != "ConsoleHost")
            {
                return true;
            }

            foreach (string arg in commandLine)
            {
                if (arg.StartsWith("-noni", StringComparison.OrdinalIgnoreCase) || arg.StartsWith("--noni", StringComparison.OrdinalIgnoreCase)
                    || arg.StartsWith("/noni", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            return !inputRedirected;
        }

        /// <summary>This process's user SID on Windows (WindowsIdentity, found by name: mscorlib on .NET Framework, System.Security.Principal.Windows on .NET); null elsewhere or when unreadable.</summary>
        public static string? CurrentUserSid()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return null;
            }

            try
            {
                Type? identityType = Type.GetType("System.Security.Principal.WindowsIdentity, System.Security.Principal.Windows", throwOnError: false)
                    ?? Type.GetType("System.Security.Principal.WindowsIdentity, mscorlib", throwOnError: false);
                object? identity = identityType?.GetMethod("GetCurrent", Type.EmptyTypes)?.Invoke(null, null);
                try
                {
                    return identity?.GetType().GetProperty("User")?.GetValue(identity)?.ToString();
                }
                finally
                {
                    (identity as IDisposable)?.Dispose();
                }
            }
            catch (Exception e) when (e is System.Reflection.TargetInvocationException || e is System.Security.SecurityException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
