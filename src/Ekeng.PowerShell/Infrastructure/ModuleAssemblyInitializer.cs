using System;
using System.IO;
using System.Management.Automation;
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

        public void OnImport()
        {
            if (!NeedsResolver(RuntimeInformation.FrameworkDescription))
            {
                return;
            }

            string? folder = Path.GetDirectoryName(typeof(ModuleAssemblyInitializer).Assembly.Location);
            if (string.IsNullOrEmpty(folder))
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
