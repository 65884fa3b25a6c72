using System.Reflection;
using Ekeng.Diagnostics;
using Ekeng.Platform;

namespace Ekeng.Http
{
    /// <summary>
    /// Picks the way to a card key for this process: the certificate store on Windows; on .NET 8+ elsewhere the
    /// OpenSSL engine route of Ekeng.Tls.dll, loaded from beside this assembly at run time (Ekeng.Core and the cmdlets
    /// stay netstandard2.0 and load in Windows PowerShell 5.1, which never reaches this code path).
    /// </summary>
    public static class ClientCertificateHandlers
    {
        public const string TlsAssemblyName = "Ekeng.Tls";
        public const string TlsFactoryTypeName = "Ekeng.Tls.OpenSslEngineHandlerFactory";
        private static readonly object Gate = new object();
        private static IClientCertificateHandlerFactory? _default;

        /// <summary>The factory for this platform (created once).</summary>
        public static IClientCertificateHandlerFactory Default
        {
            get
            {
                lock (Gate)
                {
                    return _default ??= Create();
                }
            }
        }

        /// <summary>
        /// Starts, on a thread of its own, what the card login through <paramref name="pkcs11Module"/> will need that involves
        /// neither the PIN nor the key nor the network: this platform's factory (Ekeng.Tls loaded), its preparation
        /// (<see cref="IClientCertificatePreparation"/>: OpenSSL's pkcs11 engine started once per process) and the JSON
        /// contracts of <paramref name="bodies"/> (the service's replies, e.g. the CRM client's BodyTypes).
        /// A command starts it before its contract probe, so that the two overlap; the engine first (the login needs it
        /// first). A failure of one part is left for the login itself to report (logged at Debug level only) and does
        /// not keep the other parts from running. Returns the work's task.
        /// </summary>
        public static Task Prepare(string? pkcs11Module, ILogger logger, params Type[] bodies)
        {
            // A thread of its own: the engine start blocks, and the pool's few threads (two on a two-core machine) are
            // the ones the contract probe's network I/O needs at the same time.
            return Task.Factory.StartNew(() =>
            {
                if (!string.IsNullOrEmpty(pkcs11Module))
                {
                    PrepareStep(logger, "the TLS engine", () =>
                    {
                        if (Default is IClientCertificatePreparation preparation)
                        {
                            preparation.Prepare(pkcs11Module!, logger);
                        }
                    });
                }

                foreach (Type type in bodies ?? Type.EmptyTypes)
                {
                    PrepareStep(logger, "the JSON contract of " + type.Name, () => EkengSession.Json.GetTypeInfo(type));
                }
            }, System.Threading.CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        // One part of Prepare: a failure is logged at Debug level and left for the login to report; the other parts still run.
        private static void PrepareStep(ILogger logger, string what, Action step)
        {
            try
            {
                step();
            }
            catch (Exception e)
            {
                logger.LogDebug("Preparing {What} ahead of the card login did not succeed ({Message}); the login does it itself.", what, e.Message);
            }
        }

        private static IClientCertificateHandlerFactory Create()
        {
            if (HostOs.IsWindows)
            {
                return new WindowsCertificateStoreHandlerFactory();
            }

            if (Environment.Version.Major < 8)
            {
                throw new EkengException(ServiceErrors.ClientCertificateUnsupported, $"Logging in with the card's key needs PowerShell 7.4 or later (.NET 8+) off Windows; this is .NET {Environment.Version}.");
            }

            return LoadTlsFactory(Path.GetDirectoryName(typeof(ClientCertificateHandlers).Assembly.Location) ?? ".");
        }

        /// <summary>Loads Ekeng.Tls.dll from <paramref name="directory"/> (or the one already loaded) and makes its factory.</summary>
        internal static IClientCertificateHandlerFactory LoadTlsFactory(string directory)
        {
            Assembly? assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == TlsAssemblyName);
            if (assembly is null)
            {
                string path = Path.Combine(directory, TlsAssemblyName + ".dll");
                if (!File.Exists(path))
                {
                    throw new EkengException(ServiceErrors.ClientCertificateSupportMissing, $"{TlsAssemblyName}.dll is missing beside the module ({path}): the card login off Windows lives there.")
                    {
                        TargetObject = path,
                    };
                }

                assembly = Assembly.LoadFrom(path);
            }

            Type type = assembly.GetType(TlsFactoryTypeName, throwOnError: true)!;
            return (IClientCertificateHandlerFactory)Activator.CreateInstance(type)!;
        }
    }
}
