using System.Runtime.InteropServices;

namespace Ekeng.PowerShell.Infrastructure
{
    /// <summary>
    /// Runs when Import-Module loads Ekeng.PowerShell.dll and when Remove-Module removes it. On .NET Framework (Windows
    /// PowerShell 5.1) it registers <see cref="ModuleAssemblyResolver"/> for the module's own folder, so that the shipped
    /// dependencies bind though their references name older versions. On .NET (PowerShell 7) AssemblyLoadContext binds a
    /// lower reference to the loaded higher version by itself, and nothing is registered.
    /// </summary>
    public sealed class ModuleAssemblyInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static ModuleAssemblyResolver? _registered;

        /// <summary>The resolver registered in this AppDomain, or null.</summary>
        internal static ModuleAssemblyResolver? Registered
        {
            get
            {
                lock (Gate)
                {
                    return _registered;
                }
            }
        }

        /// <summary>True on .NET Framework, the runtime that binds strong names exactly.</summary>
        internal static bool NeedsResolver(string frameworkDescription) =>
            frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Why this runtime cannot run the module, or null when it can. The manifest's PowerShellVersion (5.1) cannot
        /// say "5.1, or 7.4 and later": PowerShell 7.0 to 7.3 run on .NET Core 3.1 to .NET 7, older than the .NET 8
        /// versions of System.Text.Json and Microsoft.Extensions.* the module references, and would fail later, at the
        /// first JSON or log call, with a FileLoadException. They are refused here, at import, with the reason.
        /// </summary>
        internal static string? UnsupportedRuntime(string frameworkDescription, Version runtimeVersion)
        {
            if (NeedsResolver(frameworkDescription) || runtimeVersion.Major >= 8)
            {
                return null;
            }

            return $"The Ekeng module needs Windows PowerShell 5.1 or PowerShell 7.4 or later (.NET 8 or later); this PowerShell runs on {frameworkDescription}. Install PowerShell 7.4 or later (https://aka.ms/powershell) or use Windows PowerShell 5.1.";
        }

        public void OnImport()
        {
            string? folder = Path.GetDirectoryName(typeof(ModuleAssemblyInitializer).Assembly.Location);
            Import(RuntimeInformation.FrameworkDescription, Environment.Version, folder);
        }

        /// <summary>What <see cref="OnImport"/> does, for a given runtime and module folder.</summary>
        internal static void Import(string frameworkDescription, Version runtimeVersion, string? folder)
        {
            string? unsupported = UnsupportedRuntime(frameworkDescription, runtimeVersion);
            if (unsupported != null)
            {
                throw new PlatformNotSupportedException(unsupported);
            }

            if (!NeedsResolver(frameworkDescription) || string.IsNullOrEmpty(folder))
            {
                return;
            }

            Register(new ModuleAssemblyResolver(folder!));
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => Unregister();

        internal static void Register(ModuleAssemblyResolver resolver)
        {
            lock (Gate)
            {
                if (_registered != null)
                {
                    return;
                }

                AppDomain.CurrentDomain.AssemblyResolve += resolver.OnAssemblyResolve;
                _registered = resolver;
            }
        }

        internal static void Unregister()
        {
            lock (Gate)
            {
                if (_registered is null)
                {
                    return;
                }

                AppDomain.CurrentDomain.AssemblyResolve -= _registered.OnAssemblyResolve;
                _registered = null;
            }
        }
    }
}
